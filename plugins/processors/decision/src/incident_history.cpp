#include "nebula_decision/incident_history.hpp"

namespace nebula::decision {

void IncidentHistory::record(const std::string& node_id, const std::string& id, const std::string& kind,
                             double start) {
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) {
    while (!lru_.empty() && nodes_.size() >= max_nodes_) {
      nodes_.erase(lru_.front());
      lru_.pop_front();
      ++evictions_;
    }
    it = nodes_.emplace(node_id, Node{}).first;
    it->second.lru = lru_.insert(lru_.end(), node_id);
  } else {
    lru_.splice(lru_.end(), lru_, it->second.lru);
  }
  auto& entries = it->second.entries;
  for (const auto& e : entries)
    if (e.id == id) return;
  entries.push_back({id, kind, start});
  if (entries.size() > kPerNode) entries.pop_front();
}

}  // namespace nebula::decision
