// The nodes an evidence insight lists: the `limit` most notable first, ties by
// node id so a replay lists the same nodes in the same order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace nebula::agents {

template <class State>
struct RankedNode {
  double key = 0;  // what "notable" means for this agent (score, health, relative error)
  const std::string* id = nullptr;
  const State* state = nullptr;
};

enum class Notable { Highest, Lowest };

// Sorts the first min(limit, rows.size()) rows (the rest stay unordered) and
// returns how many that is.
template <class State>
size_t rank_first(std::vector<RankedNode<State>>& rows, size_t limit, Notable notable) {
  const size_t listed = std::min(limit, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<long>(listed), rows.end(),
                    [notable](const RankedNode<State>& a, const RankedNode<State>& b) {
                      if (a.key != b.key) return notable == Notable::Highest ? a.key > b.key : a.key < b.key;
                      return *a.id < *b.id;
                    });
  return listed;
}

}  // namespace nebula::agents
