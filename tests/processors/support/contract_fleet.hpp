// Realistic input for contract tests: a small simulated fleet of every node
// type with random incidents of every kind, plus one scripted partition, fed
// to real plugins one record batch per fleet step.
#pragma once

#include <string>
#include <vector>

#include <nebula_sim/fleet.hpp>

#include "plugin_run.hpp"
#include "sim_batch.hpp"

namespace contract_fleet {

// 40 simulated minutes at 5 s per step: past the 10-minute warm-up, through
// the scripted partition and several random incidents.
inline constexpr int kSteps = 480;

// The four testnet nodes the scripted partition cuts off, 20 minutes in, for 5 minutes.
inline const std::vector<std::string> kPartitioned = {"testnet-00000", "testnet-00001", "testnet-00002",
                                                      "testnet-00003"};
inline constexpr double kPartitionStart = 1200, kPartitionEnd = 1500;  // seconds after start_time

inline nebula_sim::FleetConfig config(uint64_t seed = 11) {
  nebula_sim::FleetConfig cfg;
  cfg.testnet_nodes = 8;
  cfg.mainnet_nodes = 6;
  cfg.basic_nodes = 4;
  cfg.full_nodes = 4;
  cfg.seed = seed;
  cfg.incidents.rate_per_node_hour = 1.0;
  nebula_sim::Incident partition;
  partition.kind = nebula_sim::IncidentKind::Partition;
  partition.chain_id = "testnet";
  partition.nodes = kPartitioned;
  partition.start = cfg.start_time + kPartitionStart;
  partition.end = cfg.start_time + kPartitionEnd;
  cfg.incidents.scripted = {partition};
  return cfg;
}

inline void append(PluginRun::Insights& all, PluginRun::Insights more) {
  for (auto& insight : more) all.push_back(std::move(insight));
}

// Feeds kSteps steps of a fleet made with config() to `plugin`; everything it
// emitted, in order.
inline PluginRun::Insights run(PluginRun& plugin) {
  nebula_sim::Fleet fleet(config());
  PluginRun::Insights all;
  for (int i = 0; i < kSteps; ++i) append(all, plugin.feed(sim_batch::make(fleet.step())));
  return all;
}

// The same for a processor that also reads `patterns` (intelligence, learning,
// memory): each batch goes to a real pattern plugin, whose insights reach
// `plugin` before the batch itself does.
inline PluginRun::Insights run_with_patterns(PluginRun& plugin) {
  nebula_sim::Fleet fleet(config());
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  PluginRun::Insights all;
  for (int i = 0; i < kSteps; ++i) {
    const auto batch = sim_batch::make(fleet.step());
    append(all, plugin.feed(patterns.feed(batch)));
    append(all, plugin.feed(batch));
  }
  return all;
}

}  // namespace contract_fleet
