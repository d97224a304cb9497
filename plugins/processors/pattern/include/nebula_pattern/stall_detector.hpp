// "stall": the node's height has not advanced for k expected block intervals
// of its chain while the chain tip moved on (a halted chain is not a node stall).
#pragma once

#include "nebula_pattern/chain_state.hpp"
#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class StallDetector {
 public:
  struct State {
    double height = kMissing;
    double advanced_at = kMissing;    // sample at which the height last rose (or reset)
    double behind_since = kMissing;   // first sample at which the tip had moved past this height since
  };

  explicit StallDetector(const StallConfig& config) : config_(config) {}

  // Updates the node's progress from the sample and judges it; `tip` must
  // already include every sample with this timestamp. The incident starts
  // at the first sample where the chain had moved past the node: the first
  // block it missed, not merely the last block it saw.
  // While a stall is `open`, the node stays stalled until it has caught up
  // (within min_lag_blocks of the tip): a node that crawls forward one block
  // at a time far behind the tip is one long stall, not a dozen short ones.
  Verdict observe(const Sample& sample, State& state, const ChainTip& tip, double interval, bool open) const;

 private:
  StallConfig config_;
};

}  // namespace nebula::pattern
