// Shared fixtures for the simulator tests: run a fleet and keep every record.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "nebula_sim/fleet.hpp"
#include "nebula_sim/wire.hpp"

namespace sim_test {

// The "~60 nodes" fleet the detection and training tests use.
inline nebula_sim::FleetConfig sixty_node_config(std::uint64_t seed = 2026) {
  nebula_sim::FleetConfig config;
  config.testnet_nodes = 20;
  config.mainnet_nodes = 20;
  config.basic_nodes = 10;
  config.full_nodes = 10;
  config.seed = seed;
  return config;
}

// All records of a run, indexed [node][step].
struct Run {
  explicit Run(nebula_sim::FleetConfig config) : fleet(std::move(config)) {
    series.resize(fleet.nodes().size());
  }

  void advance(std::size_t steps) {
    std::vector<nebula_sim::SimRecord> out;
    for (std::size_t s = 0; s < steps; ++s) {
      fleet.step(out);
      for (std::size_t n = 0; n < out.size(); ++n) series[n].push_back(out[n]);
    }
  }

  std::size_t index_of(const std::string& node_id) const {
    const auto& nodes = fleet.nodes();
    const auto it = std::find_if(nodes.begin(), nodes.end(),
                                 [&](const nebula_sim::NodeInfo& n) { return n.id == node_id; });
    return static_cast<std::size_t>(it - nodes.begin());
  }

  const std::vector<nebula_sim::SimRecord>& of(const std::string& node_id) const {
    return series.at(index_of(node_id));
  }

  nebula_sim::Fleet fleet;
  std::vector<std::vector<nebula_sim::SimRecord>> series;
};

// Records of one node whose timestamps fall inside [from, to).
inline std::vector<nebula_sim::SimRecord> between(const std::vector<nebula_sim::SimRecord>& records,
                                                  double from, double to) {
  std::vector<nebula_sim::SimRecord> out;
  for (const auto& r : records) {
    if (r.timestamp >= from && r.timestamp < to) out.push_back(r);
  }
  return out;
}

inline double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

}  // namespace sim_test
