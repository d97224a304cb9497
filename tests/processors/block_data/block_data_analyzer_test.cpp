#include <gtest/gtest.h>

#include "block_data_analyzer.hpp"

using nebula::block_data::BlockDataAnalyzer;
using nebula::block_data::BlockSample;
using nebula::block_data::Config;
using nlohmann::json;

namespace {

BlockSample at(double t, std::string_view node, std::string_view chain, std::optional<int64_t> height,
               std::optional<int64_t> blocks = std::nullopt) {
  return BlockSample{t, node, chain, height, blocks};
}

json take(BlockDataAnalyzer& a) {
  auto doc = a.take_insight();
  EXPECT_TRUE(doc.has_value());
  return doc.value_or(json::object());
}

}  // namespace

TEST(BlockDataAnalyzer, TipLagAndPercentiles) {
  Config cfg;
  cfg.worst_lagging = 2;
  BlockDataAnalyzer a(cfg);
  a.observe(at(100, "a", "testnet", 100));
  a.observe(at(100, "b", "testnet", 98));
  a.observe(at(100, "c", "testnet", 95));
  a.observe(at(100, "d", "testnet", 100));
  json doc = take(a);
  EXPECT_EQ(doc["kind"], "block_data");
  EXPECT_EQ(doc["generated_at"], 100.0);
  const json& t = doc["chains"]["testnet"];
  EXPECT_EQ(t["tip_height"], 100);
  EXPECT_EQ(t["nodes"], 4);
  EXPECT_EQ(t["lagging_nodes"], 2);
  // lags sorted: 0 0 2 5 -> nearest rank p50 = 2nd = 0, p90 = 4th = 5
  EXPECT_EQ(t["lag"]["max"], 5);
  EXPECT_DOUBLE_EQ(t["lag"]["mean"].get<double>(), 1.75);
  EXPECT_EQ(t["lag"]["p50"], 0);
  EXPECT_EQ(t["lag"]["p90"], 5);
  EXPECT_EQ(t["lag"]["p99"], 5);
  ASSERT_EQ(t["worst_lagging"].size(), 2u);  // only the worst N
  EXPECT_EQ(t["worst_lagging"][0], (json{{"node_id", "c"}, {"height", 95}, {"lag", 5}}));
  EXPECT_EQ(t["worst_lagging"][1]["node_id"], "b");
  EXPECT_FALSE(a.take_insight().has_value()) << "nothing new, nothing emitted";
}

TEST(BlockDataAnalyzer, ObservedIntervalAgainstExpectedPerChain) {
  Config cfg;
  cfg.default_block_interval_s = 12;
  BlockDataAnalyzer a(cfg);
  // testnet tip: 10@0, 11@5, 12@10, 14@20 -> 20 s over 4 blocks = 5 s
  for (auto [t, h] : std::vector<std::pair<double, int64_t>>{{0, 10}, {5, 11}, {10, 12}, {20, 14}})
    a.observe(at(t, "t1", "testnet", h));
  // mainnet: one block per 60 s, twice the expected 30 s
  for (int i = 0; i < 4; ++i) a.observe(at(60.0 * i, "m1", "mainnet", 500 + i));
  a.observe(at(0, "x", "devnet", 1));
  json doc = take(a);
  const json& t = doc["chains"]["testnet"]["block_interval_s"];
  EXPECT_DOUBLE_EQ(t["observed"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(t["expected"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(t["ratio"].get<double>(), 1.0);
  EXPECT_EQ(t["blocks"], 4);
  const json& m = doc["chains"]["mainnet"]["block_interval_s"];
  EXPECT_DOUBLE_EQ(m["observed"].get<double>(), 60.0);
  EXPECT_DOUBLE_EQ(m["expected"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(m["ratio"].get<double>(), 2.0);
  const json& d = doc["chains"]["devnet"]["block_interval_s"];
  EXPECT_DOUBLE_EQ(d["expected"].get<double>(), 12.0);
  EXPECT_TRUE(d["observed"].is_null()) << "one tip point is not an interval yet";
}

TEST(BlockDataAnalyzer, IntervalUsesOnlyRecentAdvances) {
  Config cfg;
  cfg.interval_samples = 2;  // keeps 3 points
  BlockDataAnalyzer a(cfg);
  // slow at first (10 s), then 4 s per block
  for (auto [t, h] : std::vector<std::pair<double, int64_t>>{{0, 1}, {10, 2}, {20, 3}, {24, 4}, {28, 5}})
    a.observe(at(t, "n", "testnet", h));
  json doc = take(a);
  EXPECT_DOUBLE_EQ(doc["chains"]["testnet"]["block_interval_s"]["observed"].get<double>(), 4.0);
}

TEST(BlockDataAnalyzer, OutOfOrderRecordDoesNotMoveANodeBack) {
  BlockDataAnalyzer a{Config{}};
  a.observe(at(10, "n", "testnet", 50));
  a.observe(at(5, "n", "testnet", 40));  // older sample arriving late
  a.observe(at(10, "m", "testnet", 50));
  json doc = take(a);
  EXPECT_EQ(doc["chains"]["testnet"]["lag"]["max"], 0);
  EXPECT_EQ(doc["generated_at"], 10.0);
}

TEST(BlockDataAnalyzer, StalledAfterKExpectedIntervalsWhileTipAdvances) {
  BlockDataAnalyzer a{Config{}};  // testnet: 5 s, k = 6 -> 30 s
  auto step = [&](double t) {
    a.observe(at(t, "leader", "testnet", 10 + static_cast<int64_t>(t / 5)));
    a.observe(at(t, "stuck", "testnet", 10));
    return take(a)["chains"]["testnet"];
  };
  for (double t = 0; t < 30; t += 5) EXPECT_EQ(step(t)["stalled_count"], 0) << "t=" << t;
  json c = step(30);
  ASSERT_EQ(c["stalled_count"], 1);
  EXPECT_EQ(c["stalled"][0]["node_id"], "stuck");
  EXPECT_DOUBLE_EQ(c["stalled"][0]["stalled_for_s"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(c["stalled"][0]["intervals"].get<double>(), 6.0);
  EXPECT_EQ(c["stalled"][0]["lag"], 6);
}

TEST(BlockDataAnalyzer, NoStallWhenTheWholeChainIsStill) {
  BlockDataAnalyzer a{Config{}};
  for (double t = 0; t <= 120; t += 5) {
    a.observe(at(t, "a", "testnet", 10));
    a.observe(at(t, "b", "testnet", 9));
  }
  json c = take(a)["chains"]["testnet"];
  EXPECT_EQ(c["stalled_count"], 0) << "tip never advanced, so nobody is left behind";
  EXPECT_EQ(c["lag"]["max"], 1);
}

TEST(BlockDataAnalyzer, BlocksProcessedPerBatchAndTotal) {
  BlockDataAnalyzer a{Config{}};
  a.observe(at(1, "a", "mainnet", 1, 2));
  a.observe(at(1, "b", "mainnet", 1, 3));
  a.observe(at(1, "c", "mainnet", 1, 4));
  a.observe(at(1, "d", "mainnet", 1));  // not reported
  json b = take(a)["chains"]["mainnet"]["blocks_processed"];
  EXPECT_EQ(b["samples"], 3);
  EXPECT_EQ(b["sum"], 9);
  EXPECT_DOUBLE_EQ(b["mean"].get<double>(), 3.0);
  EXPECT_EQ(b["total"], 9);
  a.observe(at(2, "a", "mainnet", 2, 1));
  b = take(a)["chains"]["mainnet"]["blocks_processed"];
  EXPECT_EQ(b["sum"], 1);
  EXPECT_EQ(b["total"], 10);
}

TEST(BlockDataAnalyzer, StateIsBoundedAndCountsEvictions) {
  Config cfg;
  cfg.max_nodes = 2;
  cfg.max_chains = 1;
  BlockDataAnalyzer a(cfg);
  a.observe(at(1, "a", "testnet", 1));
  a.observe(at(1, "b", "testnet", 1));
  a.observe(at(1, "c", "testnet", 1));
  EXPECT_EQ(a.tracked_nodes(), 2u);
  EXPECT_EQ(a.evicted_nodes(), 1u);
  a.observe(at(1, "z", "mainnet", 1));  // evicts the testnet chain
  json doc = take(a);
  EXPECT_EQ(a.evicted_chains(), 1u);
  EXPECT_FALSE(doc["chains"].contains("testnet"));
  EXPECT_EQ(doc["state"]["chains"], 1);
  EXPECT_EQ(doc["state"]["nodes"], 1) << "nodes of an evicted chain are dropped too";
}

TEST(BlockDataAnalyzer, SilentNodesExpireAndBadRowsAreSkipped) {
  Config cfg;
  cfg.node_expiry_s = 100;
  BlockDataAnalyzer a(cfg);
  a.observe(at(0, "gone", "testnet", 1));
  EXPECT_FALSE(a.observe(at(5, "", "testnet", 1)));
  EXPECT_FALSE(a.observe(at(std::nan(""), "x", "testnet", 1)));
  a.observe(at(200, "here", "testnet", 40));
  a.observe(at(200, "anon", "", 3));
  json doc = take(a);
  EXPECT_EQ(doc["skipped"], 2);
  EXPECT_EQ(doc["records"], 3);
  EXPECT_EQ(doc["chains"]["testnet"]["nodes"], 1);
  EXPECT_EQ(doc["state"]["expired_nodes"], 1);
  EXPECT_EQ(doc["chains"]["unknown"]["tip_height"], 3);
}
