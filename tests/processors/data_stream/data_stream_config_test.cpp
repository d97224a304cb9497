#include <gtest/gtest.h>

#include "data_stream_config.hpp"

using nebula::data_stream::LatePolicy;
using nebula::data_stream::parse_config;

TEST(DataStreamConfig, DefaultsAndPolicy) {
  nebula::ConfigErrors errors;
  auto c = parse_config(nlohmann::json::object(), &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_DOUBLE_EQ(c.window_s, 60);
  EXPECT_EQ(c.late_policy, LatePolicy::Drop);
  EXPECT_EQ(parse_config({{"late_policy", "tally"}}).late_policy, LatePolicy::Tally);
}

TEST(DataStreamConfig, BadValuesPointAtTheirKeys) {
  nebula::ConfigErrors errors;
  parse_config({{"window_s", 0}, {"late_policy", "keep"}, {"dedup_window", 10}, {"windows", 5}}, &errors);
  const auto& text = errors.text();
  EXPECT_EQ(errors.size(), 4u) << text;
  EXPECT_NE(text.find("/window_s: must be between 1"), std::string::npos) << text;
  EXPECT_NE(text.find("/late_policy: must be \"drop\" or \"tally\", got \"keep\""), std::string::npos) << text;
  EXPECT_NE(text.find("/dedup_window: must be between 64"), std::string::npos) << text;
  EXPECT_NE(text.find("/windows: unknown key"), std::string::npos) << text;
}
