// The consolidator against hand-computed baselines, deviations and state.
#include <cmath>

#include <gtest/gtest.h>

#include "consolidator.hpp"

using namespace nebula::memory;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

Sample S(double ts, const std::string& node, const std::string& chain, double latency, double peers = NaN,
         double height = NaN, double tx = NaN) {
  Sample s;
  s.timestamp = ts;
  s.node_id = node;
  s.node_type = chain;
  s.chain_id = chain;
  s.latency_ms = latency;
  s.peers = peers;
  s.height = height;
  s.tx_count = tx;
  return s;
}

Config half_alpha() {
  Config c;
  c.alpha = 0.5;
  c.min_samples = 3;
  return c;
}

}  // namespace

TEST(Consolidator, NodeAndChainBaselinesAfterKnownInputs) {
  Consolidator m(half_alpha());
  m.ingest(S(0, "a", "testnet", 10));
  m.ingest(S(5, "b", "testnet", 30));
  m.ingest(S(10, "a", "testnet", 20));
  const auto& a = m.node("a")->baseline.metrics[kLatency];
  EXPECT_DOUBLE_EQ(a.mean, 15);  // 10 then 20 with alpha 0.5
  EXPECT_DOUBLE_EQ(a.var, 25);
  const auto& chain = m.chain("testnet")->baseline.metrics[kLatency];
  EXPECT_EQ(chain.count, 3u);  // 10, 30, 20: mean 10 -> 20 -> 20
  EXPECT_DOUBLE_EQ(chain.mean, 20);
  EXPECT_EQ(m.node("a")->baseline.first_seen, 0);
  EXPECT_EQ(m.node("a")->baseline.last_seen, 10);
  EXPECT_EQ(m.chain("testnet")->baseline.samples, 3u);
}

TEST(Consolidator, RatesFromCountersAreResetRobust) {
  Consolidator m(half_alpha());
  m.ingest(S(0, "a", "mainnet", 10, 5, 100, 1000));
  m.ingest(S(30, "a", "mainnet", 10, 5, 101, 1300));  // 10 tx/s, 30 s per block
  m.ingest(S(60, "a", "mainnet", 10, 5, 101, 90));    // restart: 90 tx in 30 s = 3 tx/s; no new block
  m.ingest(S(90, "a", "mainnet", 10, 5, 103, 180));   // 2 blocks in 60 s since the last change
  const auto& b = m.node("a")->baseline.metrics;
  EXPECT_EQ(b[kTxRate].count, 3u);
  EXPECT_DOUBLE_EQ(m.node("a")->last_values[kTxRate], 3.0);
  EXPECT_EQ(b[kBlockInterval].count, 2u);
  EXPECT_DOUBLE_EQ(m.node("a")->last_values[kBlockInterval], 30.0);
  const auto& hour = *m.node("a")->hours.latest();
  EXPECT_EQ(hour.transactions, 300 + 90 + 90);
  EXPECT_EQ(hour.blocks, 3);  // from height deltas: no blocks_processed reported
}

TEST(Consolidator, ChainHourlySummariesRollAtTheHour) {
  Config c = half_alpha();
  c.chain_hours = 2;
  Consolidator m(c);
  m.ingest(S(3599, "a", "testnet", 10));
  m.ingest(S(3600, "a", "testnet", 20));
  m.ingest(S(7300, "a", "testnet", 30));
  const auto& hours = m.chain("testnet")->hours.hours();
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].hour_start, 3600);
  EXPECT_EQ(hours[1].hour_start, 7200);
  const auto doc = m.insight();
  EXPECT_EQ(doc["chains"][0]["latest_hour"]["hour_start"], 7200.0);
  EXPECT_EQ(doc["chains"][0]["hours_retained"], 2);
  m.ingest(S(100, "b", "testnet", 10));  // another node, long compacted hour
  EXPECT_EQ(m.late_samples_dropped(), 1u);
}

TEST(Consolidator, DeviatingNodesAreRankedAgainstTheirOwnBaseline) {
  Consolidator m(half_alpha());
  for (int i = 0; i < 4; ++i) {
    m.ingest(S(i, "steady", "testnet", 50));
    m.ingest(S(i, "spiky", "testnet", 50));
    m.ingest(S(i, "mild", "testnet", 50));
  }
  m.ingest(S(10, "steady", "testnet", 51));  // z = 1/2.5: not listed
  m.ingest(S(10, "spiky", "testnet", 500));  // z = 450/2.5 = 180
  m.ingest(S(10, "mild", "testnet", 60));    // z = 10/2.5 = 4
  const auto dev = m.insight()["deviating_nodes"];
  ASSERT_EQ(dev.size(), 2u);
  EXPECT_EQ(dev[0]["node_id"], "spiky");
  EXPECT_EQ(dev[0]["metric"], "latency_ms");
  EXPECT_DOUBLE_EQ(dev[0]["z"].get<double>(), 180);
  EXPECT_DOUBLE_EQ(dev[0]["baseline_mean"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(dev[0]["baseline_spread"].get<double>(), 2.5);
  EXPECT_EQ(dev[1]["node_id"], "mild");
}

TEST(Consolidator, StaleDeviationsAreNotListed) {
  Config c = half_alpha();
  c.deviation_window_s = 100;
  Consolidator m(c);
  for (int i = 0; i < 4; ++i) m.ingest(S(i, "old", "testnet", 50));
  m.ingest(S(5, "old", "testnet", 500));
  EXPECT_EQ(m.insight()["deviating_nodes"].size(), 1u);
  m.ingest(S(1000, "other", "testnet", 50));
  EXPECT_EQ(m.insight()["deviating_nodes"].size(), 0u);
}

TEST(Consolidator, PatternOnsetsCountOncePerActivation) {
  Consolidator m(half_alpha());
  m.ingest(S(0, "a", "testnet", 10));
  m.ingest(S(0, "b", "testnet", 10));
  const std::string stall = R"({"active":[{"kind":"stall","node_id":"a"},{"kind":"partition","nodes":["a","b",3]},7]})";
  EXPECT_TRUE(m.on_patterns(stall));
  EXPECT_TRUE(m.on_patterns(stall));  // still active: not a new onset
  EXPECT_EQ(m.node("a")->anomaly_onsets, 2u);
  EXPECT_TRUE(m.on_patterns(R"({"active":[]})"));
  EXPECT_TRUE(m.node("a")->anomaly_kinds.empty());
  EXPECT_TRUE(m.on_patterns(stall));
  EXPECT_EQ(m.node("a")->anomaly_onsets, 4u);
  EXPECT_FALSE(m.on_patterns("[]"));
  EXPECT_EQ(m.insight()["chains"][0]["anomaly_onsets"], 6);  // a: 4, b: 2
}

TEST(Consolidator, NodeCapEvictsLeastRecentlySeen) {
  Config c = half_alpha();
  c.max_nodes = 2;
  Consolidator m(c);
  m.ingest(S(0, "a", "testnet", 1));
  m.ingest(S(1, "b", "testnet", 1));
  m.ingest(S(2, "a", "testnet", 1));
  m.ingest(S(3, "c", "testnet", 1));
  EXPECT_EQ(m.nodes_tracked(), 2u);
  EXPECT_EQ(m.nodes_evicted(), 1u);
  EXPECT_EQ(m.node("b"), nullptr);
  EXPECT_NE(m.node("a"), nullptr);
}

// insight() reads per-chain counts and the deviating nodes from tallies kept
// as nodes change (not a pass over the fleet): they must follow evictions,
// chain moves, recoveries and a restore exactly as a pass would.
TEST(Consolidator, ChainCountsAndDeviationsFollowEvictionsMovesAndRestores) {
  Config c = half_alpha();
  c.max_nodes = 3;
  Consolidator m(c);
  for (int i = 0; i < 4; ++i)
    for (const char* n : {"a", "b", "c"}) m.ingest(S(i, n, "testnet", 50));
  m.ingest(S(10, "a", "testnet", 500));  // a deviates
  m.ingest(S(10, "b", "testnet", 500));  // b too, then recovers
  m.ingest(S(11, "b", "testnet", 50.5));
  EXPECT_TRUE(m.on_patterns(R"({"active":[{"kind":"stall","node_id":"a"},{"kind":"stall","node_id":"c"}]})"));
  auto chain = [&](const Consolidator& x, const std::string& id) {
    const nlohmann::json insight = x.insight();
    for (const auto& ch : insight["chains"])
      if (ch["chain_id"] == id) return ch;
    return nlohmann::json();
  };
  auto deviating = [&](const Consolidator& x) {
    const nlohmann::json insight = x.insight();
    std::vector<std::string> ids;
    for (const auto& d : insight["deviating_nodes"]) ids.push_back(d["node_id"]);
    return ids;
  };
  EXPECT_EQ(chain(m, "testnet")["nodes"], 3);
  EXPECT_EQ(chain(m, "testnet")["anomaly_onsets"], 2);
  EXPECT_EQ(deviating(m), std::vector<std::string>{"a"});

  m.ingest(S(12, "b", "testnet", 50));
  m.ingest(S(12, "c", "testnet", 50));
  m.ingest(S(13, "d", "mainnet", 50));  // evicts a, the least recently seen: its onset and deviation go with it
  EXPECT_EQ(chain(m, "testnet")["nodes"], 2);
  EXPECT_EQ(chain(m, "testnet")["anomaly_onsets"], 1);
  EXPECT_EQ(chain(m, "mainnet")["nodes"], 1);
  EXPECT_TRUE(deviating(m).empty());

  m.ingest(S(14, "c", "mainnet", 50));  // c moves chain: a new node there, its onset left behind
  EXPECT_EQ(chain(m, "testnet")["nodes"], 1);
  EXPECT_EQ(chain(m, "testnet")["anomaly_onsets"], 0);
  EXPECT_EQ(chain(m, "mainnet")["nodes"], 2);
  EXPECT_TRUE(m.node("c")->anomaly_kinds.empty());
  // The next view names nobody: nothing stays active, nothing counts twice.
  EXPECT_TRUE(m.on_patterns(R"({"active":[{"kind":"stall","node_id":"c"}]})"));
  EXPECT_TRUE(m.on_patterns(R"({"active":[]})"));
  EXPECT_TRUE(m.node("c")->anomaly_kinds.empty());
  EXPECT_EQ(chain(m, "mainnet")["anomaly_onsets"], 1);

  Consolidator restored(c);
  restored.from_json(nlohmann::json::parse(m.to_json().dump()));
  EXPECT_EQ(restored.insight()["chains"], m.insight()["chains"]);
}

TEST(Consolidator, StateRoundTripRestoresBaselinesHistoryAndCounters) {
  Consolidator a(half_alpha());
  for (int i = 0; i < 6; ++i) {
    a.ingest(S(1000.0 * i, "n1", "testnet", 10.0 + i, 8, 100 + i, 50.0 * i));
    a.ingest(S(1000.0 * i, "n2", "mainnet", 70.0 - i, 12, 10 + i, 5.0 * i));
  }
  Consolidator b(half_alpha());
  b.from_json(nlohmann::json::parse(a.to_json().dump()));
  EXPECT_EQ(b.to_json(), a.to_json());
  EXPECT_EQ(b.generated_at(), 5000);
  // Counters continue: the next tx delta is computed against the restored count.
  a.ingest(S(6000, "n1", "testnet", 16, 8, 106, 300));
  b.ingest(S(6000, "n1", "testnet", 16, 8, 106, 300));
  EXPECT_DOUBLE_EQ(b.node("n1")->last_values[kTxRate], 0.05);
  EXPECT_EQ(b.to_json(), a.to_json());
}

TEST(Consolidator, DamagedStateLeavesCurrentStateUntouched) {
  Consolidator m(half_alpha());
  m.ingest(S(0, "a", "testnet", 10));
  auto doc = m.to_json();
  doc["nodes"][0]["baseline"]["metrics"]["latency_ms"] = "oops";
  EXPECT_THROW(m.from_json(doc), std::exception);
  EXPECT_THROW(m.from_json({{"format", "something.else"}}), std::exception);
  EXPECT_NE(m.node("a"), nullptr);
  EXPECT_EQ(m.nodes_tracked(), 1u);
}
