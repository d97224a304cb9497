#include "anomaly_book.hpp"

#include <nebula_processors/active_anomalies.hpp>

namespace nebula::learning {

bool AnomalyBook::update(const nlohmann::json& doc, const std::string& source) {
  if (!processors::has_active_list(doc)) return false;
  if (!by_source_.count(source) && by_source_.size() >= max_sources_) return false;
  NodeKinds fresh;
  processors::for_each_active_anomaly(doc, [&](const std::string& kind, const std::string& node) {
    if (fresh.size() >= max_nodes_ && !fresh.count(node)) return;  // bounded like every per-node table
    fresh[node].insert(kind);
  });
  by_source_[source] = std::move(fresh);
  return true;
}

std::vector<std::string> AnomalyBook::kinds(const std::string& node_id) const {
  std::set<std::string> all;
  for (const auto& [source, nodes] : by_source_)
    if (auto it = nodes.find(node_id); it != nodes.end()) all.insert(it->second.begin(), it->second.end());
  return {all.begin(), all.end()};
}

}  // namespace nebula::learning
