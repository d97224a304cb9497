// Reads the `patterns` insight's list of active anomalies, the one contract
// every processor that attributes anomalies to nodes consumes:
// {"active":[{"kind":"stall","node_id":"n1"}, {"kind":"partition","nodes":["a","b"]}, ...]}
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace nebula::processors {

// True when `doc` has an "active" array.
inline bool has_active_list(const nlohmann::json& doc) {
  return doc.is_object() && doc.contains("active") && doc["active"].is_array();
}

// Calls fn(kind, node_id) for every node an active entry names, through
// "node_id" or "nodes". Parsed defensively: entries without a string "kind"
// and ids that are not strings are skipped. False (and no call) when `doc`
// has no "active" array.
template <class Fn>
bool for_each_active_anomaly(const nlohmann::json& doc, Fn&& fn) {
  if (!has_active_list(doc)) return false;
  const auto visit = [&](const nlohmann::json& id, const std::string& kind) {
    if (id.is_string()) fn(kind, id.get<std::string>());
  };
  for (const auto& item : doc["active"]) {
    if (!item.is_object() || !item.contains("kind") || !item["kind"].is_string()) continue;
    const std::string kind = item["kind"].get<std::string>();
    if (item.contains("node_id")) visit(item["node_id"], kind);
    if (item.contains("nodes") && item["nodes"].is_array())
      for (const auto& id : item["nodes"]) visit(id, kind);
  }
  return true;
}

}  // namespace nebula::processors
