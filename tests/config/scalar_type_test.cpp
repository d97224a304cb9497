#include "config/scalar_type.hpp"

#include <gtest/gtest.h>

namespace nebula::host {
namespace {

using nlohmann::json;

TEST(ScalarType, NullSpellings) {
  for (const char* text : {"", "~", "null", "Null", "NULL"}) EXPECT_TRUE(typed_plain_scalar(text).is_null()) << text;
}

TEST(ScalarType, BooleansFollowTheCoreSchemaOnly) {
  EXPECT_EQ(typed_plain_scalar("true"), json(true));
  EXPECT_EQ(typed_plain_scalar("False"), json(false));
  EXPECT_EQ(typed_plain_scalar("TRUE"), json(true));
  // YAML 1.1 words stay text: "NO" is Norway, not false.
  EXPECT_EQ(typed_plain_scalar("NO"), json("NO"));
  EXPECT_EQ(typed_plain_scalar("yes"), json("yes"));
  EXPECT_EQ(typed_plain_scalar("on"), json("on"));
}

TEST(ScalarType, Integers) {
  EXPECT_EQ(typed_plain_scalar("7000"), json(7000));
  EXPECT_TRUE(typed_plain_scalar("7000").is_number_integer());
  EXPECT_EQ(typed_plain_scalar("-5"), json(-5));
  EXPECT_EQ(typed_plain_scalar("+5"), json(5));
  EXPECT_EQ(typed_plain_scalar("0x1F"), json(31));
  EXPECT_EQ(typed_plain_scalar("0o17"), json(15));
  EXPECT_EQ(typed_plain_scalar("18446744073709551615"), json(18446744073709551615ull));
  EXPECT_EQ(typed_plain_scalar("99999999999999999999999"), json("99999999999999999999999"));
}

TEST(ScalarType, Floats) {
  EXPECT_TRUE(typed_plain_scalar("1.5").is_number_float());
  EXPECT_DOUBLE_EQ(typed_plain_scalar("1.5").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(typed_plain_scalar("-.5").get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(typed_plain_scalar("2.").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(typed_plain_scalar("1e3").get<double>(), 1000.0);
  EXPECT_DOUBLE_EQ(typed_plain_scalar("+6.02E23").get<double>(), 6.02e23);
}

TEST(ScalarType, EverythingElseIsText) {
  EXPECT_EQ(typed_plain_scalar("127.0.0.1"), json("127.0.0.1"));
  EXPECT_EQ(typed_plain_scalar("1.2.3"), json("1.2.3"));
  EXPECT_EQ(typed_plain_scalar("12ab"), json("12ab"));
  EXPECT_EQ(typed_plain_scalar(".inf"), json(".inf"));
  EXPECT_EQ(typed_plain_scalar("nebula.processor.pattern"), json("nebula.processor.pattern"));
}

// std::regex recursed once per character here; 30 000 digits crashed
// `nebula-pool validate` (fuzz/corpus/pipeline_yaml/regress_long_number.yaml).
TEST(ScalarType, VeryLongNumbersAreTypedWithoutDeepRecursion) {
  const std::string digits(1'000'000, '7');
  EXPECT_EQ(typed_plain_scalar(digits), json(digits));  // too large for an integer: text
  EXPECT_EQ(typed_plain_scalar("0x" + std::string(1'000'000, 'f')), json("0x" + std::string(1'000'000, 'f')));
  EXPECT_TRUE(typed_plain_scalar("1." + digits).is_number_float());
  EXPECT_TRUE(typed_plain_scalar("1." + digits + "x").is_string());
}

}  // namespace
}  // namespace nebula::host
