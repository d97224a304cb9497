// "eclipse": one node's peers collapse to a handful (<= max_peers) although
// it normally has many, with latency up: an attacker (or a broken network
// path) controls what the node sees.
#pragma once

#include "nebula_pattern/network_state.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class EclipseDetector {
 public:
  EclipseDetector(const EclipseConfig& config, const BaselineConfig& baseline)
      : config_(config), min_z_(baseline.min_z) {}

  Verdict observe(const Sample& sample, const NetworkState& net) const;

 private:
  EclipseConfig config_;
  double min_z_;
};

}  // namespace nebula::pattern
