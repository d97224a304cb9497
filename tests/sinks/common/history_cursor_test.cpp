#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "history_cursor.hpp"

namespace nebula::sinks {
namespace {

TEST(HistoryCursor, RoundTripsEveryId) {
  for (int64_t id : {int64_t{1}, int64_t{2}, int64_t{999}, int64_t{1} << 40, INT64_MAX}) {
    const std::string cursor = encode_cursor(id);
    EXPECT_EQ(decode_cursor(cursor), id) << cursor;
    EXPECT_EQ(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << "safe in a URL as it is: " << cursor;
  }
}

TEST(HistoryCursor, RefusesWhatItDidNotWrite) {
  const std::string good = encode_cursor(12345);
  EXPECT_FALSE(decode_cursor(""));
  EXPECT_FALSE(decode_cursor("12345"));
  EXPECT_FALSE(decode_cursor(good.substr(0, good.size() - 1)));  // truncated
  EXPECT_FALSE(decode_cursor(good + "A"));                        // extended
  EXPECT_FALSE(decode_cursor(good + "="));                        // padding is not ours
  EXPECT_FALSE(decode_cursor(std::string(1000, 'A')));
  EXPECT_FALSE(decode_cursor(encode_cursor(0)));  // ids start at 1
  EXPECT_FALSE(decode_cursor(encode_cursor(-5)));
}

}  // namespace
}  // namespace nebula::sinks
