// Increase of a cumulative counter (transactions, blocks) between two
// samples, robust to node restarts. One rule for every processor.
#pragma once

#include <cmath>
#include <concepts>

namespace nebula::processors {

// A counter that went down was restarted from zero (node restart), so the new
// value itself is the increase since the restart (Prometheus' rule).
// NaN when either value is missing.
inline double counter_increase(double previous, double current) {
  if (std::isnan(previous) || std::isnan(current)) return std::nan("");
  return current >= previous ? current - previous : current;
}

// The same rule for counters kept as integers (never missing).
template <std::integral Count>
Count counter_increase(Count previous, Count current) {
  return current >= previous ? current - previous : current;
}

}  // namespace nebula::processors
