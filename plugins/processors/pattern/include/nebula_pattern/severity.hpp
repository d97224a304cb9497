// Maps "how far past the threshold" to a 0..1 severity: 0.3 right at the
// threshold, 1.0 at the saturation point, so a just-confirmed incident reads
// "low" and a blatant one "high".
#pragma once

#include <algorithm>

namespace nebula::pattern {

inline double clamp01(double v) { return std::clamp(v, 0.0, 1.0); }

// For "too high" ratios: threshold <= ratio, saturating at `saturate`.
inline double severity_above(double ratio, double threshold, double saturate) {
  if (!(saturate > threshold)) return 1.0;
  return clamp01(0.3 + 0.7 * (ratio - threshold) / (saturate - threshold));
}

// For "too low" ratios: ratio <= threshold, saturating at `floor`.
inline double severity_below(double ratio, double threshold, double floor) {
  if (!(threshold > floor)) return 1.0;
  return clamp01(0.3 + 0.7 * (threshold - ratio) / (threshold - floor));
}

}  // namespace nebula::pattern
