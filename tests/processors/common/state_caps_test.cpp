// The SDK's StateCaps and CounterTotals against the mock host: evictions as
// counter increments, fill as gauges, one warning when a table fills and then
// at most one per interval while it keeps evicting.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nebula/counter_totals.hpp>
#include <nebula/state_caps.hpp>
#include <nebula/testing/mock_host.hpp>

namespace {

using namespace std::chrono_literals;
using Clock = nebula::StateCaps::Clock;

std::vector<std::string> warnings(const nebula::testing::MockHost& mock) {
  std::vector<std::string> out;
  for (const auto& line : mock.logs())
    if (line.level == NEBULA_LOG_WARN) out.push_back(line.message);
  return out;
}

nebula::StateTable nodes(size_t size, uint64_t evictions) { return {"nodes", "max_nodes", size, 3, evictions}; }

TEST(StateCaps, RoomLeftIsGaugedAndNotWarnedAbout) {
  nebula::testing::MockHost mock;
  nebula::Host host(mock.table());
  nebula::StateCaps caps("nebula.processor.test");
  caps.report(host, {nodes(2, 0)});
  EXPECT_EQ(mock.gauge("state_entries_nodes"), 2.0);
  EXPECT_EQ(mock.gauge("state_capacity_nodes"), 3.0);
  EXPECT_EQ(mock.counter("state_evictions_nodes"), 0.0);
  EXPECT_TRUE(warnings(mock).empty());
}

TEST(StateCaps, TheFirstFillWarnsWithComponentTableCapacityAndKey) {
  nebula::testing::MockHost mock;
  nebula::Host host(mock.table());
  nebula::StateCaps caps("nebula.processor.test");
  caps.report(host, {nodes(3, 0)});
  const auto w = warnings(mock);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0],
            "nebula.processor.test: state table 'nodes' reached its capacity of 3 entries; the least recently seen "
            "are evicted from now on (metric state_evictions_nodes). Raise 'max_nodes' to keep more.");
}

TEST(StateCaps, EvictionsAreCountedEveryBatchButWarnedAboutOncePerInterval) {
  nebula::testing::MockHost mock;
  nebula::Host host(mock.table());
  nebula::StateCaps caps("nebula.processor.test", 60s);
  const auto t0 = Clock::time_point{} + 1h;
  caps.report(host, {nodes(3, 4)}, t0);
  caps.report(host, {nodes(3, 10)}, t0 + 30s);  // within the interval: counted, not said
  EXPECT_EQ(mock.counter("state_evictions_nodes"), 10.0);
  EXPECT_EQ(warnings(mock).size(), 1u);
  caps.report(host, {nodes(3, 10)}, t0 + 90s);  // the interval is over: the six since are said
  caps.report(host, {nodes(3, 10)}, t0 + 200s);  // nothing evicted since: nothing to say
  const auto w = warnings(mock);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1], "nebula.processor.test: state table 'nodes' evicted 6 entries in the last 90 s at its capacity of "
                  "3. Raise 'max_nodes' to keep more.");
}

TEST(StateCaps, TablesAreReportedUnderTheirOwnNames) {
  nebula::testing::MockHost mock;
  nebula::Host host(mock.table());
  nebula::StateCaps caps("c");
  caps.report(host, {nodes(1, 0), {"chains", "max_chains", 2, 2, 1}});
  EXPECT_EQ(mock.counter("state_evictions_chains"), 1.0);
  EXPECT_EQ(mock.gauge("state_entries_chains"), 2.0);
  const auto w = warnings(mock);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("'max_chains'"), std::string::npos);
}

TEST(StateCaps, AnLruMapDescribesItself) {
  nebula::LruMap<int> map(2);
  for (const char* key : {"a", "b", "c"}) map.touch(key);
  const auto t = nebula::state_table("nodes", "max_nodes", map);
  EXPECT_EQ(t.size, 2u);
  EXPECT_EQ(t.capacity, 2u);
  EXPECT_EQ(t.evictions, 1u);
}

TEST(CounterTotals, AddsOnlyTheGrowthAndCountsARestartedTotalAsNew) {
  nebula::testing::MockHost mock;
  nebula::Host host(mock.table());
  nebula::CounterTotals totals;
  EXPECT_EQ(totals.report(host, "dropped", 5), 5u);
  EXPECT_EQ(totals.report(host, "dropped", 5), 0u);
  EXPECT_EQ(totals.report(host, "dropped", 7), 2u);
  EXPECT_EQ(totals.report(host, "dropped", 3), 3u);  // rebuilt from saved state, counting again from zero
  EXPECT_EQ(mock.counter("dropped"), 10.0);
}

}  // namespace
