// The one whole-number config reader of every plugin kind.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include <nebula/config_whole_number.hpp>

using nebula::config::whole_number;

namespace {

std::string errors_of(const nlohmann::json& cfg, double lo = 1, double hi = 100) {
  nebula::ConfigErrors errors;
  whole_number(cfg, "n", size_t{7}, lo, hi, &errors);
  return errors.text();
}

}  // namespace

TEST(WholeNumber, ReadsAWholeNumberInRange) {
  nebula::ConfigErrors errors;
  EXPECT_EQ(whole_number({{"n", 42}}, "n", size_t{7}, 1, 100, &errors), 42u);
  EXPECT_EQ(whole_number({{"n", 42.0}}, "n", size_t{7}, 1, 100, &errors), 42u);  // 42.0 is whole
  EXPECT_TRUE(errors.empty()) << errors.text();
}

TEST(WholeNumber, AbsentKeepsTheDefaultExactly) {
  const uint64_t big = (uint64_t{1} << 62) + 1;  // not exact as a double
  EXPECT_EQ(whole_number(nlohmann::json::object(), "n", big, 0, 1e30), big);
  EXPECT_EQ(whole_number(nlohmann::json(), "n", 5, 0, 10), 5);
}

TEST(WholeNumber, RefusesAFractionARangeAndANonNumber) {
  EXPECT_EQ(errors_of({{"n", 2.5}}), "/n: must be a whole number, got 2.5");
  EXPECT_EQ(errors_of({{"n", 200}}), "/n: must be between 1 and 100, got 200");
  EXPECT_EQ(errors_of({{"n", "ten"}}), "/n: must be a number");
  nebula::ConfigErrors errors;
  EXPECT_EQ(whole_number({{"n", 2.5}}, "n", 7, 1, 100, &errors), 7);  // the default on error
}

TEST(WholeNumber, TheResultHasTheDefaultsType) {
  const uint16_t port = whole_number({{"port", 8080}}, "port", uint16_t{0}, 0, 65535);
  EXPECT_EQ(port, 8080);
  const int sustain = whole_number({{"k", 3}}, "k", 2, 1, 1000);
  EXPECT_EQ(sustain, 3);
}

TEST(WholeNumber, NestedSectionsPrefixThePointer) {
  nebula::ConfigErrors errors;
  whole_number({{"window", 0.5}}, "window", 10, 3, 4096, &errors, "/baseline");
  EXPECT_EQ(errors.text(), "/baseline/window: must be between 3 and 4096, got 0.5");
}
