#include <gtest/gtest.h>

#include "node_health.hpp"

using nebula::network_monitor::HealthRule;
using nebula::network_monitor::NodeHealth;

namespace {

NodeHealth warmed(double peers, double latency, int samples = 10) {
  NodeHealth h;
  for (int i = 0; i < samples; ++i) h.update(i, peers, latency, HealthRule{});
  return h;
}

}  // namespace

TEST(NodeHealth, CollapseFromAHighBaselineIsIsolation) {
  NodeHealth h = warmed(12, 40);
  h.update(100, 2.0, 40.0, {});
  EXPECT_TRUE(h.isolated);
  EXPECT_EQ(h.isolated_since, 100);
  h.update(105, 1.0, 40.0, {});
  h.update(110, 0.0, 40.0, {});
  EXPECT_TRUE(h.isolated) << "baseline frozen: a lasting collapse stays flagged";
  EXPECT_EQ(h.isolated_since, 100);
  EXPECT_DOUBLE_EQ(h.peers.mean, 12);
  h.update(115, 11.0, 40.0, {});
  EXPECT_FALSE(h.isolated);
}

TEST(NodeHealth, FewPeersIsNotIsolationWithoutACollapse) {
  NodeHealth low = warmed(5, 40);  // 5 < 3 x 2
  low.update(100, 2.0, 40.0, {});
  EXPECT_FALSE(low.isolated);
  NodeHealth early = warmed(12, 40, 3);  // baseline not warm yet
  early.update(100, 1.0, 40.0, {});
  EXPECT_FALSE(early.isolated);
  NodeHealth no_peers = warmed(12, 40);
  no_peers.update(100, std::nullopt, 40.0, {});
  EXPECT_FALSE(no_peers.isolated);
}

TEST(NodeHealth, DegradedNeedsLatencyUpAndPeersDownTogether) {
  NodeHealth only_latency = warmed(20, 50);
  only_latency.update(100, 19.0, 200.0, {});
  EXPECT_FALSE(only_latency.degraded);
  NodeHealth only_peers = warmed(20, 50);
  only_peers.update(100, 5.0, 55.0, {});
  EXPECT_FALSE(only_peers.degraded);
  NodeHealth both = warmed(20, 50);
  both.update(100, 8.0, 120.0, {});
  EXPECT_TRUE(both.degraded);
  EXPECT_EQ(both.degraded_since, 100);
  both.update(105, std::nullopt, 130.0, {});
  EXPECT_TRUE(both.degraded) << "latency still high, peers unknown: still degraded";
  both.update(110, 20.0, std::nullopt, {});
  EXPECT_FALSE(both.degraded) << "peers recovered";
}
