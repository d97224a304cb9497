#include "pattern_update.hpp"

#include "nebula_agents/json_tape.hpp"

namespace nebula::analyst {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using namespace nebula::agents;

void read_pattern(const element& p, PatternUpdate& out) {
  if (p.type() != element_type::OBJECT) return;
  std::optional<element> kind, node_id, nodes;
  for (const auto field : object_of(p)) {
    if (field.key == "kind") kind = field.value;
    else if (field.key == "node_id") node_id = field.value;
    else if (field.key == "nodes") nodes = field.value;
  }
  if (!kind || !is_string(*kind)) return;
  const std::string k(string_view_of(*kind));
  if (node_id && is_string(*node_id)) out.active[std::string(string_view_of(*node_id))].insert(k);
  if (nodes && nodes->type() == element_type::ARRAY)
    for (const element n : array_of(*nodes))
      if (is_string(n)) out.active[std::string(string_view_of(n))].insert(k);
}

}  // namespace

std::optional<PatternUpdate> read_pattern_update(std::string_view json) {
  const auto root = parse_json_tape(json);
  if (!root) return std::nullopt;
  PatternUpdate out;
  if (root->type() != element_type::OBJECT) return out;
  std::optional<element> active;
  for (const auto field : object_of(*root))
    if (field.key == "active") active = field.value;
  if (!active || active->type() != element_type::ARRAY) return out;
  out.has_active = true;
  for (const element p : array_of(*active)) read_pattern(p, out);
  return out;
}

}  // namespace nebula::analyst
