// "partition": >= min_nodes nodes of one chain whose latency rises and peers
// fall together (their degradation starts within window_s of each other).
// Node level: degraded(); chain level: find_cluster().
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "nebula_pattern/network_state.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class PartitionDetector {
 public:
  PartitionDetector(const PartitionConfig& config, const BaselineConfig& baseline)
      : config_(config), min_z_(baseline.min_z) {}

  // Is this node degraded (peers down and latency up vs its own baseline)?
  Verdict degraded(const Sample& sample, const NetworkState& net) const;

  // Given (degraded_since, node_id) of the degraded nodes of one chain, returns
  // the earliest group of >= min_nodes whose starts lie within window_s, or
  // an empty vector. Input order does not matter.
  std::vector<std::string> find_cluster(std::vector<std::pair<double, std::string>> degraded) const;

  const PartitionConfig& config() const { return config_; }

 private:
  PartitionConfig config_;
  double min_z_;
};

}  // namespace nebula::pattern
