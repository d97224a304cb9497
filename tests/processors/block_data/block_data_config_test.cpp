#include <gtest/gtest.h>

#include "block_data_config.hpp"

using nebula::block_data::parse_config;

namespace {

std::string errors_of(const nlohmann::json& cfg) {
  nebula::ConfigErrors errors;
  parse_config(cfg, &errors);
  return errors.text();
}

}  // namespace

TEST(BlockDataConfig, DefaultsMatchTheChains) {
  nebula::ConfigErrors errors;
  auto c = parse_config(nlohmann::json::object(), &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_DOUBLE_EQ(c.expected_interval("testnet"), 5);
  EXPECT_DOUBLE_EQ(c.expected_interval("mainnet"), 30);
  EXPECT_DOUBLE_EQ(c.expected_interval("devnet"), 15);
  EXPECT_DOUBLE_EQ(c.stall_intervals, 6);
}

TEST(BlockDataConfig, ChainOverridesKeepTheOtherDefaults) {
  auto c = parse_config({{"chains", {{"testnet", {{"block_interval_s", 4}}}, {"devnet", {{"block_interval_s", 2.5}}}}},
                         {"default_block_interval_s", 12}});
  EXPECT_DOUBLE_EQ(c.expected_interval("testnet"), 4);
  EXPECT_DOUBLE_EQ(c.expected_interval("mainnet"), 30);
  EXPECT_DOUBLE_EQ(c.expected_interval("devnet"), 2.5);
  EXPECT_DOUBLE_EQ(c.expected_interval("other"), 12);
}

TEST(BlockDataConfig, OutOfRangeIntervalPointsAtTheChain) {
  auto text = errors_of({{"chains", {{"testnet", {{"block_interval_s", -1}}}}}});
  EXPECT_NE(text.find("/chains/testnet/block_interval_s: must be between 0.1 and 3600"), std::string::npos) << text;
  EXPECT_NE(text.find("got -1"), std::string::npos) << text;
}

TEST(BlockDataConfig, UnknownKeysAreRejectedAtEveryLevel) {
  auto text = errors_of({{"stall_interval", 3}, {"chains", {{"testnet", {{"block_time", 5}}}}}});
  EXPECT_NE(text.find("/stall_interval: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/chains/testnet/block_time: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/chains/testnet: block_interval_s is required"), std::string::npos) << text;
}

TEST(BlockDataConfig, WrongShapesAndFractionalCounts) {
  auto text = errors_of({{"chains", {{"a/b", 5}}}, {"max_nodes", 2.5}, {"worst_lagging", "five"}});
  EXPECT_NE(text.find("/chains/a~1b: must be a mapping"), std::string::npos) << text;
  EXPECT_NE(text.find("/max_nodes: must be a whole number"), std::string::npos) << text;
  EXPECT_NE(text.find("/worst_lagging: must be a number"), std::string::npos) << text;
  EXPECT_NE(errors_of({{"chains", 3}}).find("/chains: must be a mapping"), std::string::npos);
}
