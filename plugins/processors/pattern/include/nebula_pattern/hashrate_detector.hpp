// "hashrate_drop" / "hashrate_surge": blockchain.mining_hash_rate against the
// node's own baseline (x drop_factor / x surge_factor). Nodes that do not
// mine (baseline 0) or do not report it are never judged.
#pragma once

#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/robust_baseline.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class HashrateDetector {
 public:
  struct State {
    explicit State(const BaselineConfig& c)
        : level(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)) {}
    RobustBaseline level;
  };
  struct Verdicts {
    Verdict drop;
    Verdict surge;
  };

  HashrateDetector(const HashrateConfig& config, const BaselineConfig& baseline)
      : config_(config), min_z_(baseline.min_z) {}

  Verdicts observe(const Sample& sample, const State& state) const;

 private:
  HashrateConfig config_;
  double min_z_;
};

}  // namespace nebula::pattern
