// NaN <-> null in insights and state files.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include <nebula/json_numbers.hpp>

TEST(JsonNumbers, UnknownIsNullNotZero) {
  EXPECT_TRUE(nebula::number_or_null(std::nan("")).is_null());
  EXPECT_TRUE(nebula::number_or_null(std::numeric_limits<double>::infinity()).is_null());
  EXPECT_EQ(nebula::number_or_null(2.5).dump(), "2.5");
}

TEST(JsonNumbers, NegativeZeroIsWrittenAsZero) { EXPECT_EQ(nebula::number_or_null(-0.0).dump(), "0.0"); }

TEST(JsonNumbers, NumberAtReadsNullAsNaNAndThrowsOnDamage) {
  const auto doc = nlohmann::json::parse(R"({"a":1.5,"b":null,"c":"x"})");
  EXPECT_DOUBLE_EQ(nebula::number_at(doc, "a"), 1.5);
  EXPECT_TRUE(std::isnan(nebula::number_at(doc, "b")));
  EXPECT_THROW(nebula::number_at(doc, "c"), nlohmann::json::exception);
  EXPECT_THROW(nebula::number_at(doc, "missing"), nlohmann::json::exception);
}
