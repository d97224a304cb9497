// What a detector concludes about one sample.
#pragma once

#include <vector>

#include "nebula_pattern/incident.hpp"

namespace nebula::pattern {

struct Verdict {
  bool known = false;          // enough data to judge (false: the sample is skipped)
  bool anomalous = false;
  double severity = 0;
  double start_hint = kMissing;  // when the anomaly really began, if the detector knows better
  std::vector<Evidence> evidence;  // filled only when anomalous

  static Verdict unknown() { return {}; }
  static Verdict normal() { return Verdict{true, false, 0, kMissing, {}}; }
};

}  // namespace nebula::pattern
