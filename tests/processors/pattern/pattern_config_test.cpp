// Config: defaults, unknown keys and bad values reported with JSON pointers.
#include <gtest/gtest.h>

#include "nebula_pattern/pattern_config.hpp"

namespace nebula::pattern {
namespace {

using nlohmann::json;

std::string problems(const json& cfg) {
  ConfigErrors errors;
  PatternConfig::parse(cfg, &errors);
  return errors.text();
}

TEST(PatternConfig, EmptyConfigGivesDocumentedDefaults) {
  auto c = PatternConfig::parse(json::object());
  EXPECT_EQ(c.topic, "patterns");
  EXPECT_EQ(c.max_nodes, 10000);
  EXPECT_EQ(c.sustain_samples, 3);
  EXPECT_DOUBLE_EQ(c.stall.intervals, 4);
  EXPECT_DOUBLE_EQ(c.block_interval("testnet", "testnet"), 5);
  EXPECT_DOUBLE_EQ(c.block_interval("mainnet", "mainnet"), 30);
  EXPECT_DOUBLE_EQ(c.tx_flood.factor, 3);
  EXPECT_DOUBLE_EQ(c.hashrate.drop_factor, 0.4);
  EXPECT_DOUBLE_EQ(c.hashrate.surge_factor, 2.0);
  EXPECT_DOUBLE_EQ(c.resource.cpu_pct, 95);
}

TEST(PatternConfig, NestedValuesAreRead) {
  auto c = PatternConfig::parse(json::parse(R"({
    "topic": "p2", "max_nodes": 50, "baseline": {"window": 64, "warmup": 20},
    "stall": {"intervals": 6, "block_interval_s": {"devnet": 2}},
    "partition": {"min_nodes": 4}, "resource": {"cpu_pct": 90}})"));
  EXPECT_EQ(c.topic, "p2");
  EXPECT_EQ(c.max_nodes, 50);
  EXPECT_EQ(c.baseline.window, 64);
  EXPECT_DOUBLE_EQ(c.stall.intervals, 6);
  EXPECT_DOUBLE_EQ(c.block_interval("devnet", "full"), 2);
  EXPECT_DOUBLE_EQ(c.block_interval("testnet", "testnet"), 30) << "a given map replaces the defaults";
  EXPECT_EQ(c.partition.min_nodes, 4);
  EXPECT_DOUBLE_EQ(c.resource.cpu_pct, 90);
}

TEST(PatternConfig, BlockIntervalFallsBackByNodeTypeThenSubstring) {
  PatternConfig c;
  EXPECT_DOUBLE_EQ(c.block_interval("chain-x", "testnet"), 5);
  EXPECT_DOUBLE_EQ(c.block_interval("nebula-testnet-2", "basic"), 5);
  EXPECT_DOUBLE_EQ(c.block_interval("other", "basic"), 30);
}

TEST(PatternConfig, UnknownKeysRejectedAtEveryLevel) {
  auto text = problems(json::parse(R"({"topc": "x", "stall": {"interval": 3}, "tx_flood": {"factor": 3, "zz": 1}})"));
  EXPECT_NE(text.find("/topc: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/stall/interval: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/tx_flood/zz: unknown key"), std::string::npos) << text;
}

TEST(PatternConfig, BadValuesPointAtTheKey) {
  auto text = problems(json::parse(R"({
    "max_nodes": 0, "sustain_samples": 2.5, "eclipse": "no", "baseline": {"window": 8, "warmup": 9},
    "hashrate": {"drop_factor": 1.5}, "stall": {"block_interval_s": {"testnet": -5}}})"));
  EXPECT_NE(text.find("/max_nodes: must be between"), std::string::npos) << text;
  EXPECT_NE(text.find("/sustain_samples: must be a whole number"), std::string::npos) << text;
  EXPECT_NE(text.find("/eclipse: must be a mapping"), std::string::npos) << text;
  EXPECT_NE(text.find("/baseline/warmup: must not exceed"), std::string::npos) << text;
  EXPECT_NE(text.find("/hashrate/drop_factor: must be between"), std::string::npos) << text;
  EXPECT_NE(text.find("/stall/block_interval_s/testnet"), std::string::npos) << text;
}

TEST(PatternConfig, ParseWithoutCollectorThrows) {
  EXPECT_THROW(PatternConfig::parse(json::parse(R"({"bogus": 1})")), nebula::Error);
}

}  // namespace
}  // namespace nebula::pattern
