// Each detector on constructed data with known answers: detected, with the
// right start, nothing on steady noise, resets are not floods, baselines
// freeze during incidents, state stays bounded.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_run.hpp"

namespace nebula::pattern::testing {
namespace {

constexpr int kWarm = 200;  // steps of normal traffic before any injection (1000 s)

std::string kinds_of(const std::vector<Incident>& v) {
  std::string out;
  for (const auto& i : v) out += std::string(kind_name(i.kind)) + ":" + (i.node_id.empty() ? i.chain_id : i.node_id) + " ";
  return out;
}

TEST(PatternEngine, SteadyNoiseRaisesNothing) {
  SyntheticFleet fleet(10, 10, 42);
  EngineRun run;
  run.run(fleet, 1440);  // two simulated hours
  EXPECT_TRUE(run.started.empty()) << kinds_of(run.started);
  EXPECT_TRUE(run.last.active.empty());
  EXPECT_EQ(run.last.stats.nodes, 20u);
}

TEST(PatternEngine, StallOnTestnetStartsAtTheFirstMissedBlock) {
  SyntheticFleet fleet(5, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t3").stalled = true;  // samples from step kWarm+1 on repeat the height of step kWarm
  run.run(fleet, 20);
  auto stalls = run.started_of(Kind::Stall);
  ASSERT_EQ(stalls.size(), 1u) << kinds_of(run.started);
  EXPECT_EQ(stalls[0].node_id, "t3");
  EXPECT_EQ(stalls[0].chain_id, "testnet");
  EXPECT_DOUBLE_EQ(stalls[0].start, step_time(kWarm + 1));
  ASSERT_EQ(stalls[0].evidence.size(), 2u);
  EXPECT_EQ(stalls[0].evidence[0].metric, "blockchain.current_height");
  EXPECT_GE(stalls[0].evidence[0].baseline - stalls[0].evidence[0].value, 4);

  fleet.node("t3").stalled = false;
  run.run(fleet, 5);
  auto ended = run.ended_of(Kind::Stall);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].end_reason, "recovered");
  EXPECT_DOUBLE_EQ(ended[0].end, step_time(kWarm + 21));
  EXPECT_EQ(run.started.size(), 1u) << kinds_of(run.started);
}

TEST(PatternEngine, StallOnMainnetUsesThirtySecondBlocks) {
  SyntheticFleet fleet(0, 4);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("m1").stalled = true;
  run.run(fleet, 23);  // 115 s: less than 4 blocks of 30 s
  EXPECT_TRUE(run.started_of(Kind::Stall).empty());
  run.run(fleet, 20);
  auto stalls = run.started_of(Kind::Stall);
  ASSERT_EQ(stalls.size(), 1u);
  // Last advance at t=990 s (step 198); the next block was due 30 s later.
  EXPECT_DOUBLE_EQ(stalls[0].start, step_time(204));
}

TEST(PatternEngine, HaltedChainIsNotANodeStall) {
  SyntheticFleet fleet(5, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  for (int i = 0; i < 5; ++i) fleet.node(i).stalled = true;
  run.run(fleet, 60);
  EXPECT_TRUE(run.started.empty()) << kinds_of(run.started);
  const auto& chain = run.last.chains.at(0);
  EXPECT_EQ(chain.chain_id, "testnet");
  EXPECT_GE(chain.observed_interval_s, 250);  // the silence shows in the observed interval
}

TEST(PatternEngine, EclipseDetectedWithStart) {
  SyntheticFleet fleet(6, 2);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t2").peers = 1;
  fleet.node("t2").latency_ms = 200;
  run.run(fleet, 10);
  auto ecl = run.started_of(Kind::Eclipse);
  ASSERT_EQ(ecl.size(), 1u) << kinds_of(run.started);
  EXPECT_EQ(ecl[0].node_id, "t2");
  EXPECT_DOUBLE_EQ(ecl[0].start, step_time(kWarm + 1));
  EXPECT_GE(ecl[0].severity, 0.5);
  EXPECT_TRUE(run.started_of(Kind::Partition).empty());
}

TEST(PatternEngine, EclipseNeedsLatencyToRiseWhenReported) {
  SyntheticFleet fleet(4, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t1").peers = 2;  // few peers but a healthy path: not an eclipse
  run.run(fleet, 30);
  EXPECT_TRUE(run.started_of(Kind::Eclipse).empty()) << kinds_of(run.started);
}

TEST(PatternEngine, EclipseOnBasicNodeJudgedOnPeersAlone) {
  SyntheticFleet fleet(3, 0);
  fleet.add("b0", "testnet").basic = true;
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("b0").peers = 0;
  run.run(fleet, 10);
  auto ecl = run.started_of(Kind::Eclipse);
  ASSERT_EQ(ecl.size(), 1u);
  EXPECT_EQ(ecl[0].node_id, "b0");
  EXPECT_DOUBLE_EQ(ecl[0].start, step_time(kWarm + 1));
}

TEST(PatternEngine, PartitionGroupsNodesThatDegradeTogether) {
  SyntheticFleet fleet(8, 2);
  EngineRun run;
  run.run(fleet, kWarm);
  for (const char* id : {"t1", "t4", "t6"}) {
    fleet.node(id).peers = 2;  // eclipse-like per node, but three at once
    fleet.node(id).latency_ms = 160;
  }
  run.run(fleet, 10);
  auto parts = run.started_of(Kind::Partition);
  ASSERT_EQ(parts.size(), 1u) << kinds_of(run.started);
  EXPECT_EQ(parts[0].nodes, (std::vector<std::string>{"t1", "t4", "t6"}));
  EXPECT_EQ(parts[0].chain_id, "testnet");
  EXPECT_DOUBLE_EQ(parts[0].start, step_time(kWarm + 1));
  EXPECT_TRUE(run.started_of(Kind::Eclipse).empty()) << "members are not also eclipsed";

  for (const char* id : {"t1", "t4", "t6"}) {
    fleet.node(id).peers = 12;
    fleet.node(id).latency_ms = 60;
  }
  run.run(fleet, 5);
  ASSERT_EQ(run.ended_of(Kind::Partition).size(), 1u);
  EXPECT_TRUE(run.last.active.empty());
}

TEST(PatternEngine, TwoSplitsOfOneChainAreTwoPartitions) {
  SyntheticFleet fleet(10, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  for (const char* id : {"t1", "t2", "t3"}) {
    fleet.node(id).peers = 4;
    fleet.node(id).latency_ms = 180;
  }
  run.run(fleet, 20);
  for (const char* id : {"t6", "t7", "t8", "t9"}) {
    fleet.node(id).peers = 3;
    fleet.node(id).latency_ms = 200;
  }
  run.run(fleet, 10);
  ASSERT_EQ(run.started_of(Kind::Partition).size(), 2u) << kinds_of(run.started);
  const auto& parts = run.last.active;  // members as of now (t9 joined after the first three)
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].nodes, (std::vector<std::string>{"t1", "t2", "t3"}));
  EXPECT_EQ(parts[1].nodes, (std::vector<std::string>{"t6", "t7", "t8", "t9"}));
  EXPECT_DOUBLE_EQ(parts[1].start, step_time(kWarm + 21));
}

TEST(PatternEngine, SlowCrawlFarBehindIsOneLongStall) {
  SyntheticFleet fleet(5, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  double crawl = 0;
  for (int i = 1; i <= 60; ++i) {  // one block forward every 50 s while the chain makes ten
    auto batch = fleet.step();
    for (auto& s : batch)
      if (s.node_id == "t2") {
        if (crawl == 0) crawl = s.height;
        s.height = crawl + i / 10;
      }
    run.feed(batch);
  }
  EXPECT_EQ(run.started_of(Kind::Stall).size(), 1u) << kinds_of(run.started);
  EXPECT_TRUE(run.ended_of(Kind::Stall).empty());
}

TEST(PatternEngine, TwoDegradedNodesAreNoPartition) {
  SyntheticFleet fleet(8, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  for (const char* id : {"t1", "t4"}) {
    fleet.node(id).peers = 5;
    fleet.node(id).latency_ms = 160;
  }
  run.run(fleet, 30);
  EXPECT_TRUE(run.started.empty()) << kinds_of(run.started);
}

TEST(PatternEngine, DegradationsFarApartAreNoPartition) {
  SyntheticFleet fleet(8, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  for (const char* id : {"t1", "t4", "t6"}) {
    fleet.node(id).peers = 5;
    fleet.node(id).latency_ms = 160;
    run.run(fleet, 10);  // 50 s between starts > window_s 30
  }
  EXPECT_TRUE(run.started_of(Kind::Partition).empty()) << kinds_of(run.started);
}

TEST(PatternEngine, TxFloodDetectedSoonAfterStart) {
  // The rate window spans 6 blocks (>= 60 s): 60 s on testnet, 180 s on
  // mainnet, so the 8x flood crosses 3x after ~17 s and ~52 s respectively.
  SyntheticFleet fleet(4, 2);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t1").tx_rate = 80;
  fleet.node("m0").tx_rate = 80;
  run.run(fleet, 40);
  auto floods = run.started_of(Kind::TxFlood);
  ASSERT_EQ(floods.size(), 2u) << kinds_of(run.started);
  std::sort(floods.begin(), floods.end(), [](auto& a, auto& b) { return a.node_id < b.node_id; });
  EXPECT_EQ(floods[0].node_id, "m0");
  EXPECT_GE(floods[0].start, step_time(kWarm + 1));
  EXPECT_LE(floods[0].start, step_time(kWarm + 1) + 60);
  EXPECT_EQ(floods[1].node_id, "t1");
  EXPECT_GE(floods[1].start, step_time(kWarm + 1));
  EXPECT_LE(floods[1].start, step_time(kWarm + 1) + 20);
  EXPECT_EQ(floods[0].evidence.at(0).metric, "transaction_rate");
  EXPECT_NEAR(floods[0].evidence.at(0).baseline, 10, 2);
}

TEST(PatternEngine, CounterResetIsNotAFloodNorANegativeRate) {
  SyntheticFleet fleet(4, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t2").reset_counter = true;
  for (int i = 0; i < 60; ++i) {
    run.feed(fleet.step());
    const double rate = run.engine.node("t2")->tx.last_rate;
    if (present(rate)) {
      EXPECT_GE(rate, 0);
    }
  }
  EXPECT_TRUE(run.started.empty()) << kinds_of(run.started);
  EXPECT_EQ(run.last.stats.counter_resets, 1u);
  EXPECT_EQ(run.engine.node("t2")->tx.resets, 1u);
}

TEST(PatternEngine, HashrateDropAndSurge) {
  SyntheticFleet fleet(4, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t0").hash_rate = 20;
  fleet.node("t1").hash_rate = 300;
  run.run(fleet, 6);
  auto drops = run.started_of(Kind::HashrateDrop);
  auto surges = run.started_of(Kind::HashrateSurge);
  ASSERT_EQ(drops.size(), 1u);
  ASSERT_EQ(surges.size(), 1u);
  EXPECT_EQ(drops[0].node_id, "t0");
  EXPECT_EQ(surges[0].node_id, "t1");
  EXPECT_DOUBLE_EQ(drops[0].start, step_time(kWarm + 1));
  EXPECT_DOUBLE_EQ(surges[0].start, step_time(kWarm + 1));
  EXPECT_NEAR(drops[0].evidence.at(0).deviation, -0.8, 0.1);
}

TEST(PatternEngine, ResourceExhaustionNeedsSustainedLoad) {
  SyntheticFleet fleet(3, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t0").cpu_pct = 99;  // two hot samples: a blip
  run.run(fleet, 2);
  fleet.node("t0").cpu_pct = 40;
  run.run(fleet, 5);
  EXPECT_TRUE(run.started.empty()) << kinds_of(run.started);

  fleet.node("t1").memory_pct = 98;
  run.run(fleet, 5);
  auto res = run.started_of(Kind::ResourceExhaustion);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].node_id, "t1");
  EXPECT_DOUBLE_EQ(res[0].start, step_time(kWarm + 8));
}

TEST(PatternEngine, BaselinesFreezeWhileAnIncidentIsOpen) {
  SyntheticFleet fleet(4, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  const NodeState* t2 = run.engine.node("t2");
  const double peers_before = t2->network.peers.median();
  const double latency_before = t2->network.latency.median();
  const double rate_before = t2->tx.rate.median();
  const auto accepted_before = t2->network.peers.accepted();

  fleet.node("t2").peers = 1;
  fleet.node("t2").latency_ms = 240;
  fleet.node("t2").tx_rate = 90;
  run.run(fleet, 200);  // far longer than the baseline window
  ASSERT_EQ(run.started_of(Kind::Eclipse).size(), 1u);
  ASSERT_EQ(run.started_of(Kind::TxFlood).size(), 1u);
  EXPECT_EQ(run.last.active.size(), 2u) << "still open: the anomaly did not become normal";
  EXPECT_EQ(t2->network.peers.median(), peers_before);
  EXPECT_EQ(t2->network.latency.median(), latency_before);
  EXPECT_EQ(t2->tx.rate.median(), rate_before);
  EXPECT_EQ(t2->network.peers.accepted(), accepted_before);

  fleet.node("t2").peers = 12;
  fleet.node("t2").latency_ms = 60;
  fleet.node("t2").tx_rate = 10;
  run.run(fleet, 40);
  EXPECT_TRUE(run.last.active.empty());
  EXPECT_GT(t2->network.peers.accepted(), accepted_before) << "learning resumes after the end";
}

TEST(PatternEngine, StateIsBoundedAndEvictionsCounted) {
  PatternConfig cfg;
  cfg.max_nodes = 4;
  SyntheticFleet fleet(6, 0);
  EngineRun run(cfg);
  run.run(fleet, 3);
  EXPECT_LE(run.last.stats.nodes, 4u);
  EXPECT_GT(run.last.stats.evicted_nodes, 0u);
  EXPECT_EQ(run.engine.stats().evicted_nodes, run.last.stats.evicted_nodes);
}

// The node evicted is the one seen least recently, not the first by id; its
// open incident ends as "evicted" and it leaves its chain's count.
TEST(PatternEngine, AFullTableEvictsTheLeastRecentlySeenNodeAndEndsItsIncidents) {
  PatternConfig cfg;
  cfg.max_nodes = 3;
  SyntheticFleet fleet(3, 0);
  EngineRun run(cfg);
  run.run(fleet, kWarm);
  fleet.node("t2").cpu_pct = 99;
  run.run(fleet, 5);
  ASSERT_EQ(run.last.active.size(), 1u);
  // t2 last, t0 and t1 once more: t2 is now the least recently seen.
  auto batch = fleet.step();
  std::erase_if(batch, [](const Sample& s) { return s.node_id == "t2"; });
  run.feed(batch);
  Sample newcomer = batch.front();
  newcomer.node_id = "t9";
  newcomer.timestamp += 1;
  run.feed({newcomer});
  EXPECT_EQ(run.engine.node("t2"), nullptr);
  EXPECT_NE(run.engine.node("t0"), nullptr);
  EXPECT_NE(run.engine.node("t9"), nullptr);
  ASSERT_EQ(run.ended.size(), 1u);
  EXPECT_EQ(run.ended[0].end_reason, "evicted");
  EXPECT_EQ(run.ended[0].node_id, "t2");
  EXPECT_TRUE(run.last.active.empty());
  EXPECT_EQ(run.last.stats.evicted_nodes, 1u);
  EXPECT_EQ(run.last.stats.nodes, 3u);
}

TEST(PatternEngine, DuplicateAndReorderedSamplesAreDropped) {
  SyntheticFleet fleet(3, 0);
  EngineRun run;
  auto batch = fleet.step();
  run.feed(batch);
  run.feed(batch);
  EXPECT_EQ(run.last.stats.out_of_order, 3u);
  EXPECT_EQ(run.last.stats.records, 6u);
}

TEST(PatternEngine, SilentNodesIncidentsEndAsStale) {
  SyntheticFleet fleet(3, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  fleet.node("t0").cpu_pct = 99;
  run.run(fleet, 5);
  ASSERT_EQ(run.last.active.size(), 1u);
  for (int i = 0; i < 130; ++i) {  // 650 s without t0
    auto batch = fleet.step();
    std::erase_if(batch, [](const Sample& s) { return s.node_id == "t0"; });
    run.feed(batch);
  }
  ASSERT_EQ(run.ended.size(), 1u);
  EXPECT_EQ(run.ended[0].end_reason, "stale");
  EXPECT_TRUE(run.last.active.empty());
}

// Nodes that fall silent together end in node id order, whatever order they
// were last seen in: the report does not depend on the table's recency.
TEST(PatternEngine, NodesGoneStaleTogetherEndInNodeIdOrder) {
  SyntheticFleet fleet(8, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  for (const char* id : {"t3", "t1", "t2"}) fleet.node(id).cpu_pct = 99;
  run.run(fleet, 5);
  ASSERT_EQ(run.last.active.size(), 3u);
  // Seen last in the order t3, t1, t2 (a batch per node), then silent.
  auto batch = fleet.step();
  for (const char* id : {"t3", "t1", "t2"})
    for (const Sample& s : batch)
      if (s.node_id == id) run.feed({s});
  for (int i = 0; i < 130; ++i) {  // 650 s with t0 alone
    auto rest = fleet.step();
    std::erase_if(rest, [](const Sample& s) { return s.node_id != "t0"; });
    run.feed(rest);
  }
  ASSERT_EQ(run.ended.size(), 3u);
  EXPECT_EQ(run.ended[0].node_id, "t1");
  EXPECT_EQ(run.ended[1].node_id, "t2");
  EXPECT_EQ(run.ended[2].node_id, "t3");
  for (const auto& inc : run.ended) EXPECT_EQ(inc.end_reason, "stale");
}

// end_stale_nodes skips its scan while no node can be past the cutoff: each
// node that falls silent later, and a new node whose only sample is already
// old, must still be found.
TEST(PatternEngine, EveryNodeThatFallsSilentBecomesStaleInTurnLateOnesToo) {
  SyntheticFleet fleet(3, 0);
  EngineRun run;
  run.run(fleet, kWarm);
  auto drop = [](std::vector<Sample> batch, std::initializer_list<const char*> silent) {
    std::erase_if(batch, [&](const Sample& s) {
      return std::find(silent.begin(), silent.end(), s.node_id) != silent.end();
    });
    return batch;
  };
  for (int i = 0; i < 130; ++i) run.feed(drop(fleet.step(), {"t0"}));  // 650 s without t0
  ASSERT_NE(run.engine.node("t0"), nullptr);
  EXPECT_TRUE(run.engine.node("t0")->stale);
  EXPECT_FALSE(run.engine.node("t1")->stale);
  for (int i = 0; i < 130; ++i) run.feed(drop(fleet.step(), {"t0", "t1"}));
  EXPECT_TRUE(run.engine.node("t1")->stale) << "the second node to fall silent";
  EXPECT_FALSE(run.engine.node("t2")->stale);

  // A node first heard of through one sample 700 s old (stale_after_s: 600).
  auto batch = drop(fleet.step(), {"t0", "t1"});
  Sample late = batch.front();
  late.node_id = "late";
  late.timestamp -= 700;
  batch.push_back(late);
  run.feed(std::move(batch));
  ASSERT_NE(run.engine.node("late"), nullptr);
  EXPECT_TRUE(run.engine.node("late")->stale);
  EXPECT_FALSE(run.engine.node("t2")->stale);
}

TEST(PatternEngine, SameInputSameOutput) {
  auto once = [] {
    SyntheticFleet fleet(5, 3, 9);
    EngineRun run;
    run.run(fleet, kWarm);
    fleet.node("t1").peers = 0;
    fleet.node("t1").latency_ms = 300;
    fleet.node("m2").hash_rate = 10;
    std::string out;
    for (int i = 0; i < 20; ++i) {
      run.feed(fleet.step());
      out += to_text(run.last, 100);
    }
    return out;
  };
  EXPECT_EQ(once(), once());
}

TEST(PatternEngine, BatchOrderInsideABatchDoesNotMatter) {
  SyntheticFleet a(4, 2, 5), b(4, 2, 5);
  EngineRun ra, rb;
  for (int i = 0; i < 300; ++i) {
    if (i == 250) {
      a.node("t1").stalled = b.node("t1").stalled = true;
    }
    auto x = a.step();
    auto y = b.step();
    std::reverse(y.begin(), y.end());
    ra.feed(x);
    rb.feed(y);
  }
  EXPECT_EQ(to_text(ra.last, 100), to_text(rb.last, 100));
}

}  // namespace
}  // namespace nebula::pattern::testing
