// Per-node network health: EWMA baselines of peer count and latency, and two
// flags raised against them: isolated (peers collapsed) and degraded (latency
// up AND peers down at once, the per-node symptom of a partition).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace nebula::network_monitor {

struct HealthRule {
  double alpha = 0.1;               // EWMA weight of the newest sample
  size_t warmup = 5;                // samples before a baseline is trusted
  double isolation_peers = 2;       // isolated: peers <= this ...
  double isolation_factor = 3;      // ... and baseline >= factor x max(peers, 1)
  double latency_factor = 2;        // degraded: latency >= factor x baseline ...
  double peer_factor = 0.5;         // ... and peers <= factor x baseline
};

struct Baseline {
  double mean = 0;
  uint64_t samples = 0;
  void update(double value, double alpha) {
    mean = samples == 0 ? value : mean + alpha * (value - mean);
    ++samples;
  }
  bool warm(size_t warmup) const { return samples >= warmup; }
};

struct NodeHealth {
  Baseline peers;
  Baseline latency;
  bool isolated = false;
  double isolated_since = 0;
  bool degraded = false;
  double degraded_since = 0;

  // Folds in one in-order sample (either value may be missing). Baselines
  // freeze while a flag is raised, so a lasting collapse stays flagged
  // instead of turning into the new normal.
  void update(double time, std::optional<double> peer_count, std::optional<double> latency_ms, const HealthRule& rule);
};

}  // namespace nebula::network_monitor
