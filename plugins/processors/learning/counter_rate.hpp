// Increase of a cumulative counter between two samples, robust to resets.
#pragma once

#include <cmath>

namespace nebula::learning {

// A counter that went down was restarted from zero (node restart), so the
// new value itself is the increase since the restart (Prometheus' rule).
// NaN when either value is missing.
inline double counter_increase(double previous, double current) {
  if (std::isnan(previous) || std::isnan(current)) return std::nan("");
  return current >= previous ? current - previous : current;
}

}  // namespace nebula::learning
