// Suspected partition: the largest group of degraded nodes of one chain whose
// degradation began within one window of each other.
#pragma once

#include <string>
#include <vector>

namespace nebula::network_monitor {

struct Onset {
  double time;
  std::string node_id;
};

struct OnsetGroup {
  std::vector<std::string> node_ids;  // sorted
  double first = 0;
  double last = 0;
};

// The largest set of onsets spanning at most window_s (ties: the earliest).
OnsetGroup largest_onset_group(std::vector<Onset> onsets, double window_s);

}  // namespace nebula::network_monitor
