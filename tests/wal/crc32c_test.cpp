// The WAL's CRC-32C implementations must agree with each other and with the
// boost::crc_optimal CRC-32C that wrote every existing log, bit for bit, at
// every length and alignment, or old segments would read as damaged.
#include <gtest/gtest.h>

#include <boost/crc.hpp>

#include <random>
#include <string>

#include "wal/crc32c.hpp"

namespace {

using nebula::wal::crc32c;
using nebula::wal::crc32c_hardware;
using nebula::wal::crc32c_hardware_available;
using nebula::wal::crc32c_portable;

uint32_t boost_crc32c(std::string_view bytes) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c(0, ""), 0u);
  EXPECT_EQ(crc32c(0, "123456789"), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(crc32c_portable(0, "123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(0, std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
}

TEST(Crc32c, EveryImplementationMatchesBoostAtRandomLengthsAndAlignments) {
  std::mt19937_64 rng(15);
  std::string buffer(5000, '\0');
  for (auto& c : buffer) c = static_cast<char>(rng());
  std::uniform_int_distribution<size_t> offset(0, 15);
  std::uniform_int_distribution<size_t> length(0, 4096);
  for (int i = 0; i < 3000; ++i) {
    const size_t len = i < 64 ? size_t(i) : length(rng);  // every short length, then random ones
    const std::string_view bytes(buffer.data() + offset(rng), len);
    const uint32_t expected = boost_crc32c(bytes);
    ASSERT_EQ(crc32c_portable(0, bytes), expected) << "length " << len;
    ASSERT_EQ(crc32c(0, bytes), expected) << "length " << len;
    if (crc32c_hardware_available()) {
      ASSERT_EQ(crc32c_hardware(0, bytes), expected) << "length " << len;
    }
  }
}

TEST(Crc32c, ExtendingEqualsOnePass) {
  const std::string text = "magic-less frame header, then a payload of some length";
  for (size_t split = 0; split <= text.size(); ++split) {
    const std::string_view a(text.data(), split);
    const std::string_view b(text.data() + split, text.size() - split);
    EXPECT_EQ(crc32c(crc32c(0, a), b), boost_crc32c(text));
    EXPECT_EQ(crc32c_portable(crc32c_portable(0, a), b), boost_crc32c(text));
  }
}

}  // namespace
