// "resource_exhaustion": cpu or memory at or above the threshold (95 %).
// Absolute thresholds, so no warm-up; the baselines only give operators the
// node's usual level as evidence.
#pragma once

#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/robust_baseline.hpp"
#include "nebula_pattern/verdict.hpp"

namespace nebula::pattern {

class ResourceDetector {
 public:
  struct State {
    explicit State(const BaselineConfig& c)
        : cpu(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)),
          memory(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)) {}
    RobustBaseline cpu;
    RobustBaseline memory;
  };

  explicit ResourceDetector(const ResourceConfig& config) : config_(config) {}

  Verdict observe(const Sample& sample, const State& state) const;
  void learn(const Sample& sample, State& state) const {
    state.cpu.add(sample.cpu);
    state.memory.add(sample.memory);
  }

 private:
  ResourceConfig config_;
};

}  // namespace nebula::pattern
