#include "partition_finder.hpp"

#include <algorithm>
#include <set>

namespace nebula::network_monitor {

OnsetGroup largest_onset_group(std::vector<Onset> onsets, double window_s) {
  std::sort(onsets.begin(), onsets.end(), [](const Onset& a, const Onset& b) {
    return a.time != b.time ? a.time < b.time : a.node_id < b.node_id;
  });
  // Two pointers over the sorted onsets: [begin, end) spans <= window_s.
  size_t best_begin = 0, best_size = 0, begin = 0;
  for (size_t end = 0; end < onsets.size(); ++end) {
    while (onsets[end].time - onsets[begin].time > window_s) ++begin;
    if (end - begin + 1 > best_size) {
      best_size = end - begin + 1;
      best_begin = begin;
    }
  }
  OnsetGroup group;
  if (best_size == 0) return group;
  for (size_t i = best_begin; i < best_begin + best_size; ++i) group.node_ids.push_back(onsets[i].node_id);
  std::sort(group.node_ids.begin(), group.node_ids.end());
  group.first = onsets[best_begin].time;
  group.last = onsets[best_begin + best_size - 1].time;
  return group;
}

std::vector<OnsetGroup> onset_groups(std::vector<Onset> onsets, double window_s, size_t min_size) {
  std::vector<OnsetGroup> groups;
  while (true) {
    OnsetGroup group = largest_onset_group(onsets, window_s);
    if (group.node_ids.empty() || group.node_ids.size() < min_size) return groups;
    const std::set<std::string> taken(group.node_ids.begin(), group.node_ids.end());
    std::erase_if(onsets, [&](const Onset& o) { return taken.count(o.node_id) > 0; });
    groups.push_back(std::move(group));
  }
}

}  // namespace nebula::network_monitor
