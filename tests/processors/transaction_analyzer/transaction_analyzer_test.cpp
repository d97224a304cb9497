#include <gtest/gtest.h>

#include "transaction_analyzer.hpp"

using nebula::transaction_analyzer::Config;
using nebula::transaction_analyzer::TransactionAnalyzer;
using nebula::transaction_analyzer::TxSample;
using nlohmann::json;

namespace {

TxSample tx(double t, std::string_view node, std::string_view chain, std::optional<int64_t> count) {
  return TxSample{t, node, chain, count, std::nullopt, std::nullopt, {}, std::nullopt};
}

json take(TransactionAnalyzer& a) {
  auto doc = a.take_insight();
  EXPECT_TRUE(doc.has_value());
  return doc.value_or(json::object());
}

}  // namespace

TEST(TransactionAnalyzer, ThroughputAcrossAResetAndAnOutOfOrderSample) {
  TransactionAnalyzer a{Config{}};
  a.observe(tx(0, "n", "mainnet", 1000));
  a.observe(tx(10, "n", "mainnet", 1500));  // 50 tx/s
  a.observe(tx(5, "n", "mainnet", 1200));   // out of order
  a.observe(tx(20, "n", "mainnet", 200));   // reset: 200 since -> 20 tx/s
  json doc = take(a);
  const json& c = doc["chains"]["mainnet"];
  EXPECT_EQ(doc["kind"], "transactions");
  EXPECT_EQ(doc["generated_at"], 20.0);
  EXPECT_EQ(c["resets"], 1);
  EXPECT_EQ(c["out_of_order"], 1);
  EXPECT_EQ(c["transactions"], 700);
  EXPECT_EQ(c["rate_samples"], 2);
  EXPECT_DOUBLE_EQ(c["throughput_tps"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(c["top_nodes"][0]["tps"].get<double>(), 20.0);
  EXPECT_EQ(doc["totals"], (json{{"resets", 1}, {"out_of_order", 1}}));
}

TEST(TransactionAnalyzer, SharesSumToOnePerChain) {
  Config cfg;
  cfg.top_nodes = 2;
  TransactionAnalyzer a(cfg);
  const std::vector<std::pair<std::string, int64_t>> per_10s = {{"a", 100}, {"b", 300}, {"c", 600}};
  for (const auto& [node, n] : per_10s) {
    a.observe(tx(0, node, "testnet", 0));
    a.observe(tx(10, node, "testnet", n));
  }
  a.observe(tx(0, "x", "mainnet", 0));
  a.observe(tx(10, "x", "mainnet", 70));
  EXPECT_DOUBLE_EQ(a.throughput("testnet"), 100.0);
  auto shares = a.shares("testnet");
  ASSERT_EQ(shares.size(), 3u);
  double sum = 0;
  for (const auto& s : shares) sum += s.share;
  EXPECT_DOUBLE_EQ(sum, 1.0);
  EXPECT_EQ(shares[0].node_id, "c");
  EXPECT_DOUBLE_EQ(shares[0].share, 0.6);
  EXPECT_DOUBLE_EQ(shares[2].share, 0.1);

  json doc = take(a);
  const json& t = doc["chains"]["testnet"];
  EXPECT_EQ(t["nodes"], 3);
  ASSERT_EQ(t["top_nodes"].size(), 2u);
  EXPECT_EQ(t["top_nodes"][0]["node_id"], "c");
  EXPECT_DOUBLE_EQ(t["top_nodes"][1]["share"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(doc["chains"]["mainnet"]["top_nodes"][0]["share"].get<double>(), 1.0);
}

TEST(TransactionAnalyzer, BurstIsReportedOncePerNodeInTheBatch) {
  TransactionAnalyzer a{Config{}};
  int64_t count = 0;
  for (int t = 0; t <= 30; ++t) a.observe(tx(t, "n", "testnet", count += (t % 2 ? 9 : 11)));
  a.observe(tx(31, "quiet", "testnet", 0));
  take(a);
  a.observe(tx(32, "n", "testnet", count += 60));  // 60 tx/s vs ~10
  a.observe(tx(33, "n", "testnet", count += 120));  // baseline is now ~20: still > 4x
  json c = take(a)["chains"]["testnet"];
  EXPECT_EQ(c["burst_count"], 1);
  ASSERT_EQ(c["bursts"].size(), 1u);
  EXPECT_EQ(c["bursts"][0]["node_id"], "n");
  EXPECT_DOUBLE_EQ(c["bursts"][0]["tps"].get<double>(), 120.0) << "the strongest sample of the batch";
}

TEST(TransactionAnalyzer, NoBurstForASteadyNode) {
  TransactionAnalyzer a{Config{}};
  int64_t count = 0;
  for (int t = 0; t <= 50; ++t) a.observe(tx(t, "n", "testnet", count += 10 + t % 3));
  EXPECT_EQ(take(a)["chains"]["testnet"]["burst_count"], 0);
}

TEST(TransactionAnalyzer, SilentNodesLeaveTheThroughputAndStateIsBounded) {
  Config cfg;
  cfg.node_expiry_s = 60;
  cfg.max_nodes = 2;
  TransactionAnalyzer a(cfg);
  a.observe(tx(0, "old", "testnet", 0));
  a.observe(tx(10, "old", "testnet", 100));
  a.observe(tx(100, "new", "testnet", 0));
  a.observe(tx(110, "new", "testnet", 50));
  json doc = take(a);
  EXPECT_DOUBLE_EQ(doc["chains"]["testnet"]["throughput_tps"].get<double>(), 5.0);
  EXPECT_EQ(doc["state"]["expired_nodes"], 1);
  a.observe(tx(120, "b", "testnet", 1));
  a.observe(tx(120, "c", "testnet", 1));
  EXPECT_EQ(a.tracked_nodes(), 2u);
  EXPECT_EQ(a.evicted_nodes(), 1u);
  EXPECT_EQ(take(a)["state"]["evicted_nodes"], 1);
}

TEST(TransactionAnalyzer, RecordsWithoutACounterOnlyCount) {
  TransactionAnalyzer a{Config{}};
  EXPECT_TRUE(a.observe(tx(1, "basic", "testnet", std::nullopt)));
  EXPECT_FALSE(a.observe(tx(1, "", "testnet", 5)));
  json doc = take(a);
  EXPECT_EQ(doc["records"], 1);
  EXPECT_EQ(doc["skipped"], 1);
  EXPECT_EQ(doc["chains"]["testnet"]["nodes"], 0);
  EXPECT_EQ(doc["chains"]["testnet"]["throughput_tps"], 0.0);
}

// The insight lists the head of shares() exactly: ties in rate are broken by
// node id, and the throughput adds the rates in that order (bit for bit).
TEST(TransactionAnalyzer, InsightListsTheHeadOfTheSharesInOrder) {
  Config cfg;
  cfg.top_nodes = 4;
  TransactionAnalyzer a(cfg);
  const std::vector<int64_t> per_10s = {7, 30, 1, 30, 0, 1000000000, 3, 30, 1, 0, 7, 2};
  for (size_t i = 0; i < per_10s.size(); ++i) {
    const std::string node = "n" + std::to_string((i * 7) % per_10s.size());
    a.observe(tx(0, node, "testnet", 0));
    a.observe(tx(10, node, "testnet", per_10s[i]));
  }
  const auto shares = a.shares("testnet");
  ASSERT_EQ(shares.size(), per_10s.size());
  double throughput = 0;
  for (const auto& s : shares) throughput += s.tps;

  json doc = take(a);
  const json& t = doc["chains"]["testnet"];
  EXPECT_EQ(t["nodes"], per_10s.size());
  EXPECT_EQ(t["throughput_tps"].get<double>(), throughput);
  ASSERT_EQ(t["top_nodes"].size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(t["top_nodes"][i]["node_id"], shares[i].node_id) << i;
    EXPECT_EQ(t["top_nodes"][i]["tps"].get<double>(), shares[i].tps) << i;
    EXPECT_EQ(t["top_nodes"][i]["share"].get<double>(), shares[i].share) << i;
  }
  EXPECT_EQ(shares[1].tps, shares[2].tps);  // a tie inside the listed head
  EXPECT_LT(shares[1].node_id, shares[2].node_id);
}
