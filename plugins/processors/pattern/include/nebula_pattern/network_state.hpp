// Per-node network baselines shared by the eclipse and partition detectors.
#pragma once

#include "nebula_pattern/pattern_config.hpp"
#include "nebula_pattern/robust_baseline.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

struct NetworkState {
  explicit NetworkState(const BaselineConfig& c)
      : peers(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)),
        latency(static_cast<std::size_t>(c.window), static_cast<std::size_t>(c.warmup)) {}

  RobustBaseline peers;
  RobustBaseline latency;
  double last_peers = kMissing;
  double last_latency = kMissing;

  void remember(const Sample& s) {
    last_peers = s.peers;
    last_latency = s.latency_ms;
  }
  void learn(const Sample& s) {
    peers.add(s.peers);
    latency.add(s.latency_ms);
  }
};

}  // namespace nebula::pattern
