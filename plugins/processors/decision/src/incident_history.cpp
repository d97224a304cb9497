#include "nebula_decision/incident_history.hpp"

namespace nebula::decision {

void IncidentHistory::record(const std::string& node_id, const std::string& id, const std::string& kind,
                             double start) {
  auto& entries = nodes_.touch(node_id);
  for (const auto& e : entries)
    if (e.id == id) return;
  entries.push_back({id, kind, start});
  if (entries.size() > kPerNode) entries.pop_front();
}

}  // namespace nebula::decision
