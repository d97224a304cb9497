// The per-batch grouping of tracked nodes by chain that the transaction and
// network summaries share: for every chain keyed in `batch` (an ordered map
// by chain id), the nodes whose chain_id it is, in the node table's
// iteration order. One vector per batch entry, in the map's order.
#pragma once

#include <algorithm>
#include <string_view>
#include <vector>

namespace nebula::processors {

template <class Node, class Nodes, class Batch>
std::vector<std::vector<const Node*>> members_by_chain(const Nodes& nodes, const Batch& batch) {
  std::vector<std::string_view> chains;  // ascending, as the map keeps them
  chains.reserve(batch.size());
  for (const auto& [chain_id, entry] : batch) chains.push_back(chain_id);
  std::vector<std::vector<const Node*>> out(chains.size());
  std::size_t last = chains.size();  // the previous node's chain: neighbours often share one
  for (const auto& [key, node] : nodes) {
    const std::string_view chain = node.chain_id;
    if (last == chains.size() || chains[last] != chain) {
      const auto it = std::lower_bound(chains.begin(), chains.end(), chain);
      if (it == chains.end() || *it != chain) continue;
      last = static_cast<std::size_t>(it - chains.begin());
    }
    out[last].push_back(&node);
  }
  return out;
}

}  // namespace nebula::processors
