// The synthesizer against hand-computed answers.
#include <cmath>

#include <gtest/gtest.h>

#include "synthesizer.hpp"

using namespace nebula::intelligence;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

Sample S(double ts, const std::string& node, const std::string& chain, double height, double tx = NaN,
         double peers = NaN, double latency = NaN) {
  Sample s;
  s.timestamp = ts;
  s.node_id = node;
  s.node_type = chain;
  s.chain_id = chain;
  s.height = height;
  s.tx_count = tx;
  s.peers = peers;
  s.latency_ms = latency;
  return s;
}

const nlohmann::json& chain_of(const nlohmann::json& insight, const std::string& id) {
  for (const auto& c : insight["chains"])
    if (c["chain_id"] == id) return c;
  throw std::runtime_error("no chain " + id);
}

Config small_config() {
  Config c;
  c.min_samples = 3;
  return c;
}

}  // namespace

TEST(Synthesizer, CadenceIsNormalisedByEachChainsBlockTime) {
  Synthesizer syn(small_config());
  for (int i = 0; i < 4; ++i) syn.ingest(S(10.0 * i, "t1", "testnet", 100 + 2 * i));  // 2 blocks / 10 s
  for (int i = 0; i < 4; ++i) syn.ingest(S(30.0 * i, "m1", "mainnet", 10 + i));       // 1 block / 30 s
  auto doc = syn.build_insight();
  const auto& t = chain_of(doc, "testnet");
  const auto& m = chain_of(doc, "mainnet");
  EXPECT_DOUBLE_EQ(t["expected_block_time_s"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(t["cadence"]["observed_interval_s"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(t["cadence"]["interval_ratio"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(t["cadence"]["cv"].get<double>(), 0.0);
  EXPECT_EQ(t["cadence"]["samples"], 3);
  EXPECT_DOUBLE_EQ(m["cadence"]["observed_interval_s"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(m["cadence"]["interval_ratio"].get<double>(), 1.0);
  EXPECT_EQ(doc["generated_at"], 90.0);  // max record timestamp, not wall clock
}

TEST(Synthesizer, LagInBlocksAndInSeconds) {
  Synthesizer syn(small_config());
  syn.ingest(S(0, "t1", "testnet", 100));
  syn.ingest(S(0, "t2", "testnet", 97));  // 3 blocks behind = 15 s on a 5 s chain
  syn.ingest(S(0, "m1", "mainnet", 50));
  syn.ingest(S(0, "m2", "mainnet", 47));  // 3 blocks behind = 90 s on a 30 s chain
  auto doc = syn.build_insight();
  const auto& t = chain_of(doc, "testnet")["lag"];
  const auto& m = chain_of(doc, "mainnet")["lag"];
  EXPECT_DOUBLE_EQ(t["blocks"]["max"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(t["blocks"]["mean"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(t["seconds"]["max"].get<double>(), 15.0);
  EXPECT_DOUBLE_EQ(m["seconds"]["max"].get<double>(), 90.0);
  ASSERT_EQ(doc["comparisons"].size(), 1u);
  const auto& cmp = doc["comparisons"][0];
  EXPECT_EQ(cmp["reference"], "testnet");
  EXPECT_DOUBLE_EQ(cmp["lag_seconds_ratio"].get<double>(), 6.0);
  EXPECT_DOUBLE_EQ(cmp["lag_blocks_ratio"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(cmp["block_time_ratio"].get<double>(), 6.0);
  EXPECT_NEAR(doc["block_time_effects"]["lag_seconds"]["elasticity"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(doc["block_time_effects"]["lag_blocks"]["elasticity"].get<double>(), 0.0, 1e-12);
}

TEST(Synthesizer, ThroughputSurvivesCounterReset) {
  Synthesizer syn(small_config());
  syn.ingest(S(0, "t1", "testnet", 1, 0));
  syn.ingest(S(10, "t1", "testnet", 3, 100));  // 10 tx/s
  syn.ingest(S(20, "t1", "testnet", 5, 200));  // 10 tx/s
  syn.ingest(S(30, "t1", "testnet", 7, 50));   // restarted: 50 tx in 10 s = 5 tx/s, not negative
  auto th = chain_of(syn.build_insight(), "testnet")["throughput"];
  EXPECT_EQ(th["samples"], 3);
  EXPECT_DOUBLE_EQ(th["tx_per_s"].get<double>(), 10.0);  // median
  EXPECT_DOUBLE_EQ(th["tx_per_s_mean"].get<double>(), 25.0 / 3.0);
  EXPECT_DOUBLE_EQ(th["tx_per_block"].get<double>(), 10.0 * 5.0);  // observed interval 5 s
}

TEST(Synthesizer, StallCountedOncePerNodeHour) {
  Synthesizer syn(small_config());
  syn.ingest(S(0, "t1", "testnet", 10));
  syn.ingest(S(10, "t1", "testnet", 10));  // 10 s without a block: not yet (3 x 5 s = 15 s)
  syn.ingest(S(20, "t1", "testnet", 10));  // 20 s: stalled
  syn.ingest(S(30, "t1", "testnet", 10));  // still the same stall
  auto st = chain_of(syn.build_insight(), "testnet")["stalls"];
  EXPECT_EQ(st["events"], 1);
  EXPECT_DOUBLE_EQ(st["node_hours"].get<double>(), 30.0 / 3600.0);
  EXPECT_DOUBLE_EQ(st["per_node_hour"].get<double>(), 120.0);
  syn.ingest(S(40, "t1", "testnet", 11));  // recovers
  syn.ingest(S(60, "t1", "testnet", 11));  // 20 s again: a second stall
  EXPECT_EQ(syn.chain("testnet")->stall_events, 2u);
}

TEST(Synthesizer, LongSilenceIsNotObservedTime) {
  Config c = small_config();
  c.max_gap_s = 60;
  Synthesizer syn(c);
  syn.ingest(S(0, "t1", "testnet", 1));
  syn.ingest(S(30, "t1", "testnet", 7));
  syn.ingest(S(3630, "t1", "testnet", 727));  // an hour offline
  EXPECT_DOUBLE_EQ(syn.chain("testnet")->node_seconds, 30.0);
}

TEST(Synthesizer, NodeCapEvictsLeastRecentlySeen) {
  Config c = small_config();
  c.max_nodes = 2;
  Synthesizer syn(c);
  syn.ingest(S(0, "a", "testnet", 1));
  syn.ingest(S(1, "b", "testnet", 1));
  syn.ingest(S(2, "c", "testnet", 1));
  EXPECT_EQ(syn.nodes_tracked(), 2u);
  EXPECT_EQ(syn.nodes_evicted(), 1u);
  EXPECT_EQ(syn.build_insight()["nodes_evicted"], 1);
}

TEST(Synthesizer, DuplicateOrLateSampleIsSkipped) {
  Synthesizer syn(small_config());
  syn.ingest(S(10, "t1", "testnet", 5, 100));
  syn.ingest(S(5, "t1", "testnet", 3, 50));
  syn.ingest(S(10, "t1", "testnet", 5, 100));
  EXPECT_EQ(syn.out_of_order(), 2u);
  EXPECT_EQ(syn.chain("testnet")->samples, 1u);
}

TEST(Synthesizer, TipFollowsAResetChain) {
  Synthesizer syn(small_config());
  syn.ingest(S(0, "t1", "testnet", 1000));
  syn.ingest(S(0, "t2", "testnet", 990));
  syn.ingest(S(5, "t1", "testnet", 5));  // t1 was the tip and went back: tip is t2's height now
  EXPECT_DOUBLE_EQ(syn.chain("testnet")->tip, 990.0);
  EXPECT_EQ(syn.chain("testnet")->tip_holder, "t2");
}

TEST(Synthesizer, IntervalOfEventTime) {
  Config c = small_config();
  c.interval_s = 60;
  Synthesizer syn(c);
  for (double ts : {0.0, 20.0, 59.0}) syn.ingest(S(ts, "t1", "testnet", ts));
  EXPECT_FALSE(syn.due());
  syn.ingest(S(60, "t1", "testnet", 60));
  EXPECT_TRUE(syn.due());
  auto doc = syn.build_insight();
  EXPECT_EQ(doc["window"]["samples"], 4);
  EXPECT_EQ(doc["window"]["from"], 0.0);
  syn.ingest(S(100, "t1", "testnet", 100));
  EXPECT_FALSE(syn.due());
  EXPECT_TRUE(syn.has_unreported());
  syn.ingest(S(121, "t1", "testnet", 121));
  EXPECT_TRUE(syn.due());
}

TEST(Synthesizer, PatternsInsightCountsActiveAnomaliesPerChain) {
  Synthesizer syn(small_config());
  syn.ingest(S(0, "t1", "testnet", 1));
  syn.ingest(S(0, "t2", "testnet", 1));
  syn.ingest(S(0, "m1", "mainnet", 1));
  auto doc = nlohmann::json::parse(R"({"kind":"patterns","active":[
      {"kind":"stall","node_id":"t1"}, {"kind":"partition","nodes":["t1","t2","zz"]},
      42, {"kind":5}, {"node_id":"m1"}, {"kind":"spike","node_id":7}]})");
  EXPECT_TRUE(syn.on_patterns(doc.dump()));
  EXPECT_FALSE(syn.on_patterns("not an object"));
  EXPECT_FALSE(syn.on_patterns(R"({"active":"nope"})"));
  auto out = syn.build_insight();
  EXPECT_EQ(chain_of(out, "testnet")["active_anomalies"], nlohmann::json({{"stall", 1}, {"partition", 2}}));
  EXPECT_EQ(chain_of(out, "mainnet")["active_anomalies"], nlohmann::json::object());
}

TEST(Synthesizer, CharacterisesFastVariableAgainstSlowSteady) {
  Synthesizer syn(small_config());
  // testnet: irregular blocks and bursty transactions.
  const double t_heights[] = {0, 1, 5, 6, 12, 13};
  const double t_tx[] = {0, 10, 300, 310, 1200, 1210};
  for (int i = 0; i < 6; ++i) syn.ingest(S(10.0 * i, "t1", "testnet", t_heights[i], t_tx[i], 8, 40));
  // mainnet: a block every 30 s, 3 tx/s.
  for (int i = 0; i < 6; ++i) syn.ingest(S(30.0 * i, "m1", "mainnet", 100 + i, 90.0 * i, 12, 80));
  auto doc = syn.build_insight();
  EXPECT_EQ(chain_of(doc, "testnet")["characterisation"]["profile"],
            "rapid consensus / development traffic / fast adaptation");
  EXPECT_EQ(chain_of(doc, "mainnet")["characterisation"]["profile"],
            "stable consensus / real usage / economic behaviour");
  EXPECT_DOUBLE_EQ(chain_of(doc, "mainnet")["throughput"]["tx_per_s"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(chain_of(doc, "mainnet")["network"]["healthy_fraction"].get<double>(), 1.0);
}

TEST(Synthesizer, SameInputSameInsight) {
  auto run = [] {
    Synthesizer syn(small_config());
    for (int i = 0; i < 20; ++i) {
      syn.ingest(S(5.0 * i, "t" + std::to_string(i % 3), "testnet", i, i * 7.0, i % 5, 10.0 * i));
      syn.ingest(S(30.0 * i, "m" + std::to_string(i % 2), "mainnet", i, i * 3.0, 9, 50));
    }
    return syn.build_insight().dump();
  };
  EXPECT_EQ(run(), run());
}
