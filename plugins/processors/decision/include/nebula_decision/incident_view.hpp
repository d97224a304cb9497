// An incident from a `patterns` insight, read defensively.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::decision {

struct IncidentView {
  std::string id;     // as given, else "<kind>/<target>/<start>"
  std::string kind;   // "stall", "eclipse", "partition", "tx_flood", ...
  std::string node_id;
  std::vector<std::string> nodes;  // partition members
  std::string chain_id;
  double severity = 0;  // 0..1 (from {"score":..} or a bare number)
  double start = 0;
  // Shared, never copied: every recommendation made from this incident
  // cites it, and a decision used to copy it into each (perf, #15).
  std::shared_ptr<const nlohmann::json> evidence = std::make_shared<const nlohmann::json>(nlohmann::json::array());

  bool chain_wide() const { return node_id.empty(); }
  // The evidence entry for `metric`, or nullptr.
  const nlohmann::json* metric(const char* name) const;
};

// The open incidents one decision reads, by reference: the engine owns the
// views, and a decision copying them all was ~8 % of its cost (perf, #15).
using IncidentRefs = std::vector<std::reference_wrapper<const IncidentView>>;

// nullopt when the object names no kind or no target (node or nodes/chain).
std::optional<IncidentView> parse_incident(const nlohmann::json& obj);

}  // namespace nebula::decision
