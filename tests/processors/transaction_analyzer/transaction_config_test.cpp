#include <gtest/gtest.h>

#include "transaction_config.hpp"

using nebula::transaction_analyzer::parse_config;

TEST(TransactionConfig, Defaults) {
  nebula::ConfigErrors errors;
  auto c = parse_config(nlohmann::json::object(), &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_DOUBLE_EQ(c.burst_factor, 4);
  EXPECT_EQ(c.warmup_samples, 5u);
}

TEST(TransactionConfig, BadValuesPointAtTheirKeys) {
  nebula::ConfigErrors errors;
  auto c = parse_config({{"burst_factor", 0.5}, {"ewma_alpha", "fast"}, {"warmup_samples", 2.5}, {"bursts", true}},
                        &errors);
  const auto& text = errors.text();
  EXPECT_EQ(errors.size(), 4u) << text;
  EXPECT_NE(text.find("/burst_factor: must be between 1"), std::string::npos) << text;
  EXPECT_NE(text.find("/ewma_alpha: must be a number"), std::string::npos) << text;
  EXPECT_NE(text.find("/warmup_samples: must be a whole number"), std::string::npos) << text;
  EXPECT_NE(text.find("/bursts: unknown key"), std::string::npos) << text;
  EXPECT_DOUBLE_EQ(c.burst_factor, 4) << "bad values keep the default";
}
