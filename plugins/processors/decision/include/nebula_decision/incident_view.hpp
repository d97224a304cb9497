// An incident from a `patterns` insight, read defensively.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace nebula::decision {

// The evidence of an incident that lists none: one shared empty array.
const std::shared_ptr<const nlohmann::json>& no_evidence();

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
  std::shared_ptr<const nlohmann::json> evidence = no_evidence();

  bool chain_wide() const { return node_id.empty(); }
  // The evidence entry for `metric`, or nullptr.
  const nlohmann::json* metric(const char* name) const;
};

// The open incidents one decision reads, by reference: the engine owns the
// views, and a decision copying them all was ~8 % of its cost (perf, #15).
using IncidentRefs = std::vector<std::reference_wrapper<const IncidentView>>;

// Views by incident id.
using IncidentsById = std::map<std::string, IncidentView>;

// nullopt when the object names no kind or no target (node or nodes/chain).
// Read from the insight's tape: a `patterns` insight lists every open
// incident, and copying them into nlohmann first was most of reading it
// (callgrind on the decision replay, #15). Only the evidence is copied, and
// not even that when `known` (the views read last time) holds the same
// evidence for this id: the view shares it.
std::optional<IncidentView> parse_incident(const simdjson::dom::element& obj, const IncidentsById* known = nullptr);

}  // namespace nebula::decision
