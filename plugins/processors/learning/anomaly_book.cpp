#include "anomaly_book.hpp"

#include <nebula_insights/active_anomalies.hpp>

namespace nebula::learning {

bool AnomalyBook::update(std::string_view patterns_json, const std::string& source) {
  if (!by_source_.count(source) && by_source_.size() >= max_sources_) return false;
  NodeKinds fresh;
  const auto read =
      insights::for_each_active_anomaly(patterns_json, [&](std::string_view kind, std::string_view node_view) {
        std::string node(node_view);
        if (fresh.size() >= max_nodes_ && !fresh.count(node)) return;  // bounded like every per-node table
        fresh[std::move(node)].emplace(kind);
      });
  if (read != insights::ActiveList::kRead) return false;
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
