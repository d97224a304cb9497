#include "anomaly_book.hpp"

namespace nebula::learning {

bool AnomalyBook::update(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object() || !doc.contains("active") || !doc["active"].is_array()) return false;
  if (!by_source_.count(source) && by_source_.size() >= max_sources_) return false;
  NodeKinds fresh;
  const auto mark = [&](const nlohmann::json& id, const std::string& kind) {
    if (!id.is_string()) return;
    const auto node = id.get<std::string>();
    if (fresh.size() >= max_nodes_ && !fresh.count(node)) return;  // bounded like every per-node table
    fresh[node].insert(kind);
  };
  for (const auto& item : doc["active"]) {
    if (!item.is_object() || !item.contains("kind") || !item["kind"].is_string()) continue;
    const std::string kind = item["kind"].get<std::string>();
    if (item.contains("node_id")) mark(item["node_id"], kind);
    if (item.contains("nodes") && item["nodes"].is_array())
      for (const auto& id : item["nodes"]) mark(id, kind);
  }
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
