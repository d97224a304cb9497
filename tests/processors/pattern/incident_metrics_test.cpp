// The Pattern Recognizer's domain series: IncidentMetrics on constructed
// reports, and the real plugin on a synthetic fleet, through the mock host.
#include <gtest/gtest.h>

#include "nebula/testing/mock_host.hpp"
#include "nebula_pattern/incident_metrics.hpp"
#include "sample_batch.hpp"
#include "synthetic_fleet.hpp"

namespace nebula::pattern::testing {
namespace {

using nebula::testing::MockHost;
using nebula::testing::PluginLibrary;

Incident open_incident(Kind kind, const std::string& chain, const std::string& node) {
  Incident inc;
  inc.kind = kind;
  inc.chain_id = chain;
  inc.node_id = node;
  inc.id = incident_id(kind, node, 1);
  return inc;
}

BatchReport report_on(std::initializer_list<const char*> chains) {
  BatchReport r;
  for (const char* c : chains) {
    ChainSummary summary;
    summary.chain_id = c;
    r.chains.push_back(summary);
  }
  return r;
}

TEST(IncidentMetrics, DeclaresGaugesByChainAndKindAndCountersByKindAtZero) {
  MockHost mock;
  Host host(mock.table());
  IncidentMetrics metrics(host);
  EXPECT_EQ(mock.metric_type("incidents_active"), NEBULA_METRIC_GAUGE);
  EXPECT_EQ(mock.metric_labels("incidents_active"), (std::vector<std::string>{"chain_id", "kind"}));
  for (const char* counter : {"incidents_started_total", "incidents_ended_total"}) {
    EXPECT_EQ(mock.metric_type(counter), NEBULA_METRIC_COUNTER);
    EXPECT_EQ(mock.metric_labels(counter), std::vector<std::string>{"kind"});
    EXPECT_EQ(mock.metric_series(counter).size(), kKindCount) << counter << ": every kind, from the start";
  }
}

TEST(IncidentMetrics, ShowsEveryKindOfEveryChainAndResolvedIncidentsAsZero) {
  MockHost mock;
  Host host(mock.table());
  IncidentMetrics metrics(host);

  BatchReport first = report_on({"mainnet", "testnet"});
  first.active = {open_incident(Kind::Stall, "testnet", "t1"), open_incident(Kind::Stall, "testnet", "t2"),
                  open_incident(Kind::Eclipse, "mainnet", "m0")};
  first.started = first.active;
  metrics.publish(host, first);
  EXPECT_EQ(mock.metric_series("incidents_active").size(), 2 * kKindCount);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"testnet", "stall"}), 2);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"mainnet", "eclipse"}), 1);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"mainnet", "stall"}), 0);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_started_total", {"stall"}), 2);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_started_total", {"eclipse"}), 1);

  BatchReport second = report_on({"mainnet", "testnet"});
  second.active = {open_incident(Kind::Stall, "testnet", "t2")};
  second.ended = {first.active[0], first.active[2]};
  metrics.publish(host, second);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"testnet", "stall"}), 1);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"mainnet", "eclipse"}), 0) << "resolved reads 0, not stale";
  EXPECT_DOUBLE_EQ(mock.metric("incidents_ended_total", {"stall"}), 1);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_ended_total", {"eclipse"}), 1);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_started_total", {"stall"}), 2) << "counters only grow";
}

TEST(IncidentMetrics, AChainNoLongerTrackedGoesToZero) {
  MockHost mock;
  Host host(mock.table());
  IncidentMetrics metrics(host);
  BatchReport with_partition = report_on({"testnet"});
  with_partition.active = {open_incident(Kind::Partition, "testnet", "")};
  metrics.publish(host, with_partition);
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"testnet", "partition"}), 1);

  metrics.publish(host, report_on({"mainnet"}));  // testnet's nodes were all evicted
  EXPECT_DOUBLE_EQ(mock.metric("incidents_active", {"testnet", "partition"}), 0);
  EXPECT_EQ(mock.metric_series("incidents_active").size(), 2 * kKindCount);
}

// The real plugin: a stalled node shows on its chain, then goes back to 0.
TEST(PatternPluginMetrics, AStallShowsOnItsChainAndReadsZeroOnceItEnds) {
  static PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_pattern.so");
  MockHost host;
  auto inst = host.create(lib.find("nebula.processor.pattern"));
  SyntheticFleet fleet(5, 2);
  auto run = [&](int steps) {
    for (int i = 0; i < steps; ++i) ASSERT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK) << inst.last_error();
  };
  run(200);
  EXPECT_DOUBLE_EQ(host.metric("incidents_active", {"testnet", "stall"}), 0);
  EXPECT_EQ(host.metric_series("incidents_active").size(), 2 * kKindCount) << "testnet and mainnet, every kind";

  fleet.node("t3").stalled = true;
  run(20);
  EXPECT_DOUBLE_EQ(host.metric("incidents_active", {"testnet", "stall"}), 1);
  EXPECT_DOUBLE_EQ(host.metric("incidents_active", {"mainnet", "stall"}), 0);
  EXPECT_DOUBLE_EQ(host.metric("incidents_started_total", {"stall"}), 1);

  fleet.node("t3").stalled = false;
  run(5);
  EXPECT_DOUBLE_EQ(host.metric("incidents_active", {"testnet", "stall"}), 0);
  EXPECT_DOUBLE_EQ(host.metric("incidents_ended_total", {"stall"}), 1);
  for (const auto& [labels, value] : host.metric_series("incidents_active")) {
    EXPECT_TRUE(labels[0] == "testnet" || labels[0] == "mainnet") << "chains only, never a node id: " << labels[0];
  }
}

}  // namespace
}  // namespace nebula::pattern::testing
