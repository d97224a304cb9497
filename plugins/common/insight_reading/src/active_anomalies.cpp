#include "nebula_insights/active_anomalies.hpp"

#include <optional>

#include "nebula_insights/json_tape.hpp"

namespace nebula::insights {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

void visit_entry(const element& entry, const ActiveAnomalyVisitor& visit) {
  if (entry.type() != element_type::OBJECT) return;
  std::optional<element> kind, node_id, nodes;
  for (const auto field : object_of(entry)) {
    if (field.key == "kind") kind = field.value;
    else if (field.key == "node_id") node_id = field.value;
    else if (field.key == "nodes") nodes = field.value;
  }
  if (!kind || !is_string(*kind)) return;
  const std::string_view k = string_view_of(*kind);
  if (node_id && is_string(*node_id)) visit(k, string_view_of(*node_id));
  if (nodes && nodes->type() == element_type::ARRAY)
    for (const element n : array_of(*nodes))
      if (is_string(n)) visit(k, string_view_of(n));
}

}  // namespace

ActiveList for_each_active_anomaly(std::string_view patterns_json, const ActiveAnomalyVisitor& visit) {
  const auto root = parse_json_tape(patterns_json);
  if (!root) return ActiveList::kNotJson;
  if (root->type() != element_type::OBJECT) return ActiveList::kMissing;
  std::optional<element> active;
  for (const auto field : object_of(*root))
    if (field.key == "active") active = field.value;
  if (!active || active->type() != element_type::ARRAY) return ActiveList::kMissing;
  for (const element entry : array_of(*active)) visit_entry(entry, visit);
  return ActiveList::kRead;
}

}  // namespace nebula::insights
