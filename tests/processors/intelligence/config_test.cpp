// validate_config(): every problem reported at its JSON pointer.
#include <gtest/gtest.h>

#include "intelligence_config.hpp"

using namespace nebula::intelligence;

namespace {
std::string problems(const nlohmann::json& cfg) {
  nebula::ConfigErrors errors;
  validate_config(cfg, errors);
  return errors.text();
}
}  // namespace

TEST(IntelligenceConfig, EmptyConfigIsValidAndHasDefaults) {
  EXPECT_EQ(problems(nlohmann::json::object()), "");
  Config c = parse_config(nlohmann::json::object());
  EXPECT_EQ(c.topic, "intelligence");
  EXPECT_DOUBLE_EQ(c.block_times.lookup("", "testnet"), 5.0);
  EXPECT_DOUBLE_EQ(c.block_times.lookup("", "mainnet"), 30.0);
  EXPECT_EQ(c.max_nodes, 10000u);
}

TEST(IntelligenceConfig, UnknownKeyIsRejected) {
  EXPECT_NE(problems({{"windw", 10}}).find("/windw: unknown key"), std::string::npos);
}

TEST(IntelligenceConfig, BadValuesPointAtTheirKey) {
  const std::string text = problems({{"block_time_s", {{"testnet", -1}, {"mainnet", 30}}},
                                     {"window", 2.5},
                                     {"max_nodes", 0},
                                     {"interval_s", "soon"}});
  EXPECT_NE(text.find("/block_time_s/testnet:"), std::string::npos) << text;
  EXPECT_EQ(text.find("/block_time_s/mainnet:"), std::string::npos) << text;
  EXPECT_NE(text.find("/window:"), std::string::npos) << text;
  EXPECT_NE(text.find("/max_nodes:"), std::string::npos) << text;
  EXPECT_NE(text.find("/interval_s:"), std::string::npos) << text;
}

TEST(IntelligenceConfig, BlockTimesMergeOverDefaults) {
  Config c = parse_config({{"block_time_s", {{"devnet", 1}}}, {"default_block_time_s", 12}});
  EXPECT_DOUBLE_EQ(c.block_times.lookup("devnet", ""), 1.0);
  EXPECT_DOUBLE_EQ(c.block_times.lookup("", "testnet"), 5.0);
  EXPECT_DOUBLE_EQ(c.block_times.lookup("x", "basic"), 12.0);
}
