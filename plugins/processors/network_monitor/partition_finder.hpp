// Suspected partitions: groups of degraded nodes of one chain whose
// degradation began within one window of each other. A chain can split more
// than once, so every such group is found, not only the largest.
#pragma once

#include <cstddef>
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

// Disjoint groups of at least min_size onsets, each spanning at most
// window_s, largest first: the largest group, then the largest among the
// onsets left, and so on.
std::vector<OnsetGroup> onset_groups(std::vector<Onset> onsets, double window_s, size_t min_size);

}  // namespace nebula::network_monitor
