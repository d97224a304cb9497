// Same seed -> byte-identical records and ground truth; other seed -> different.
#include <gtest/gtest.h>

#include <string>

#include "sim_test_support.hpp"

namespace {

// Every record and the ground truth of a run, as the bytes a consumer sees.
std::string transcript(nebula_sim::FleetConfig config, int steps) {
  nebula_sim::Fleet fleet(std::move(config));
  std::string out;
  for (int s = 0; s < steps; ++s) {
    for (const auto& record : fleet.step()) out += nebula_sim::to_wire(record).dump() + "\n";
  }
  return out + nebula_sim::incidents_to_jsonl(fleet.ground_truth());
}

}  // namespace

TEST(Determinism, SameSeedGivesIdenticalBytes) {
  const auto config = sim_test::sixty_node_config(11);
  const std::string a = transcript(config, 400);
  const std::string b = transcript(config, 400);
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == b);  // not EXPECT_EQ: a diff of megabytes helps nobody
}

TEST(Determinism, DifferentSeedGivesDifferentOutput) {
  EXPECT_NE(transcript(sim_test::sixty_node_config(11), 50),
            transcript(sim_test::sixty_node_config(12), 50));
}

TEST(Determinism, IncidentPlanDependsOnlyOnTheSeed) {
  nebula_sim::Fleet a(sim_test::sixty_node_config(5));
  nebula_sim::Fleet b(sim_test::sixty_node_config(5));
  for (int s = 0; s < 100; ++s) a.step();  // b never steps
  // a has planned further ahead, but what b planned is a prefix of a's plan.
  const auto& pa = a.incidents();
  const auto& pb = b.incidents();
  ASSERT_FALSE(pb.empty());
  ASSERT_GE(pa.size(), pb.size());
  for (std::size_t i = 0; i < pb.size(); ++i) {
    EXPECT_EQ(nebula_sim::to_json(pa[i]), nebula_sim::to_json(pb[i])) << i;
  }
}

TEST(Determinism, BufferReuseDoesNotChangeRecords) {
  nebula_sim::Fleet a(sim_test::sixty_node_config(3));
  nebula_sim::Fleet b(sim_test::sixty_node_config(3));
  std::vector<nebula_sim::SimRecord> reused;
  for (int s = 0; s < 30; ++s) {
    const auto fresh = a.step();
    b.step(reused);
    ASSERT_EQ(fresh.size(), reused.size());
    for (std::size_t i = 0; i < fresh.size(); ++i) {
      ASSERT_EQ(nebula_sim::to_wire(fresh[i]), nebula_sim::to_wire(reused[i]));
    }
  }
}

TEST(Determinism, NodePersonalityIgnoresFleetSize) {
  // testnet-00000's baselines come from its own seed, so adding nodes
  // elsewhere does not change its initial uptime or hash rate baseline.
  auto small = sim_test::sixty_node_config(9);
  auto large = small;
  large.mainnet_nodes = 200;
  nebula_sim::Fleet a(small), b(large);
  EXPECT_EQ(a.step().front().uptime, b.step().front().uptime);
}
