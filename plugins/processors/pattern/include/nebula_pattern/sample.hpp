// One node metrics sample as the detectors see it: plain values, NaN for a
// field the node did not report (basic nodes report only height and peers).
#pragma once

#include <cmath>
#include <limits>
#include <string>

namespace nebula::pattern {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

inline bool present(double v) { return !std::isnan(v); }

struct Sample {
  double timestamp = kMissing;  // seconds
  std::string node_id;
  std::string chain_id;
  std::string node_type;
  double height = kMissing;
  double tx_count = kMissing;   // cumulative; a decrease is a counter reset
  double hash_rate = kMissing;
  double peers = kMissing;
  double latency_ms = kMissing;
  double cpu_pct = kMissing;
  double memory_pct = kMissing;
};

}  // namespace nebula::pattern
