// Chain following: monotonic heights, realistic block rates, counters.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "sim_test_support.hpp"

using nebula_sim::FleetConfig;
using nebula_sim::NodeType;

namespace {

FleetConfig quiet_config(std::uint64_t seed) {
  FleetConfig config = sim_test::sixty_node_config(seed);
  config.incidents.random = false;
  return config;
}

}  // namespace

TEST(Chain, HeightsNeverDecreaseEvenThroughIncidents) {
  sim_test::Run run(sim_test::sixty_node_config(2026));
  run.advance(1440);  // 2 simulated hours with the default incident plan
  ASSERT_FALSE(run.fleet.ground_truth().empty());
  for (const auto& series : run.series) {
    for (std::size_t s = 1; s < series.size(); ++s) {
      ASSERT_GE(series[s].current_height, series[s - 1].current_height)
          << series[s].node_id << " at " << series[s].timestamp;
      if (!series[s].minimal()) {
        ASSERT_EQ(series[s].blocks_processed,
                  series[s].current_height - series[s - 1].current_height);
      }
    }
  }
}

TEST(Chain, BlocksPerHourMatchTheChainInterval) {
  // Poisson arrivals: an hour holds 720 +- 27 testnet and 120 +- 11 mainnet
  // blocks (1 sd). Allow 4 sd for each of several fixed seeds.
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    sim_test::Run run(quiet_config(seed));
    const auto testnet0 = run.fleet.chain_height("testnet");
    const auto mainnet0 = run.fleet.chain_height("mainnet");
    run.advance(720);
    const double testnet_blocks = static_cast<double>(run.fleet.chain_height("testnet") - testnet0);
    const double mainnet_blocks = static_cast<double>(run.fleet.chain_height("mainnet") - mainnet0);
    EXPECT_NEAR(testnet_blocks, 720.0, 4.0 * std::sqrt(720.0)) << "seed " << seed;
    EXPECT_NEAR(mainnet_blocks, 120.0, 4.0 * std::sqrt(120.0)) << "seed " << seed;

    // Nodes see the same rate through blocks_processed_last_interval.
    for (const auto& series : run.series) {
      if (series.front().minimal()) continue;
      double blocks = 0;
      for (const auto& r : series) blocks += static_cast<double>(r.blocks_processed);
      const double expected = series.front().chain_id == "testnet" ? testnet_blocks : mainnet_blocks;
      EXPECT_NEAR(blocks, expected, 3.0) << series.front().node_id;
    }
  }
}

TEST(Chain, HealthyNodesTrackTheTipClosely) {
  sim_test::Run run(quiet_config(8));
  run.advance(100);
  for (const auto& series : run.series) {
    const auto tip = run.fleet.chain_height(series.back().chain_id);
    EXPECT_GE(series.back().current_height, tip - 2) << series.back().node_id;
    EXPECT_LE(series.back().current_height, tip);
  }
}

TEST(Chain, TxCounterOnlyDropsAtRestartsWhichAreNotIncidents) {
  FleetConfig config = sim_test::sixty_node_config(21);
  config.restart_rate_per_node_hour = 0.5;  // plenty of restarts to look at
  sim_test::Run run(config);
  run.advance(1440);
  ASSERT_GE(run.fleet.restarts().size(), 10u);

  std::size_t resets = 0;
  for (const auto& series : run.series) {
    if (series.front().minimal()) continue;
    for (std::size_t s = 1; s < series.size(); ++s) {
      const auto& prev = series[s - 1];
      const auto& cur = series[s];
      if (cur.transaction_count >= prev.transaction_count) {
        EXPECT_GT(cur.uptime, prev.uptime) << cur.node_id;
        continue;
      }
      ++resets;
      EXPECT_LT(cur.uptime, prev.uptime) << "counter reset without restart: " << cur.node_id;
      EXPECT_LE(cur.uptime, config.sample_interval);
      EXPECT_FALSE(run.fleet.in_incident(cur.node_id, cur.timestamp))
          << "restarts are not incidents: " << cur.node_id;
    }
  }
  EXPECT_GE(resets, 5u);
  for (const auto& restart : run.fleet.restarts()) {
    EXPECT_FALSE(run.fleet.in_incident(restart.node_id, restart.time));
  }
}

TEST(Chain, MetricsStayInRealisticRanges) {
  sim_test::Run run(quiet_config(4));
  run.advance(720);
  for (const auto& series : run.series) {
    for (const auto& r : series) {
      ASSERT_GE(r.peer_count, 8) << r.node_id;
      ASSERT_LE(r.peer_count, 50) << r.node_id;
      if (r.minimal()) continue;
      ASSERT_GT(r.average_latency, 0.0);
      ASSERT_LT(r.average_latency, 2000.0);
      ASSERT_GE(r.connection_quality, 0.0);
      ASSERT_LE(r.connection_quality, 1.0);
      ASSERT_GT(r.bandwidth_usage, 0.0);
      ASSERT_GT(r.mining_hash_rate, 0.0);
      ASSERT_GE(r.cpu_usage, 1.0);
      ASSERT_LE(r.cpu_usage, 92.0);
      ASSERT_LE(r.memory_usage, 90.0);
    }
  }
  // Mainnet peers are farther away than testnet peers.
  std::vector<double> testnet, mainnet;
  for (const auto& series : run.series) {
    if (series.front().minimal()) continue;
    for (const auto& r : series) (r.chain_id == "testnet" ? testnet : mainnet).push_back(r.average_latency);
  }
  EXPECT_GT(sim_test::median(mainnet), 1.5 * sim_test::median(testnet));
}

TEST(Chain, SeqAndTimestampsAdvanceByOnePerStep) {
  FleetConfig config = sim_test::sixty_node_config(1);
  sim_test::Run run(config);
  run.advance(50);
  for (const auto& series : run.series) {
    for (std::size_t s = 0; s < series.size(); ++s) {
      ASSERT_EQ(series[s].seq, static_cast<std::int64_t>(s));
      ASSERT_EQ(series[s].timestamp,
                config.start_time + static_cast<double>(s + 1) * config.sample_interval);
    }
  }
  EXPECT_EQ(run.fleet.now(), config.start_time + 50 * config.sample_interval);
  EXPECT_EQ(run.fleet.steps_taken(), 50);
}

TEST(Chain, LargeFleetHasUniqueWellFormedIds) {
  FleetConfig config;
  config.testnet_nodes = 4000;
  config.mainnet_nodes = 4000;
  config.basic_nodes = 1000;
  config.full_nodes = 1000;
  nebula_sim::Fleet fleet(config);
  std::vector<nebula_sim::SimRecord> out;
  for (int s = 0; s < 3; ++s) fleet.step(out);
  ASSERT_EQ(out.size(), 10000u);
  std::set<std::string> ids;
  for (const auto& r : out) ids.insert(r.node_id);
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_EQ(out.front().node_id, "testnet-00000");
  EXPECT_EQ(out.back().node_id, "full-00999");
  EXPECT_EQ(out[8000].chain_id, "testnet");  // basic-00000
  EXPECT_EQ(out[8001].chain_id, "mainnet");  // basic-00001
}
