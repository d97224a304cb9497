#include "nebula_decision/incident_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nebula_insights/json_tape.hpp>
#include <nebula_insights/nlohmann_copy.hpp>

#include "nebula_decision/json_read.hpp"

namespace nebula::decision {

const std::shared_ptr<const nlohmann::json>& no_evidence() {
  static const auto empty = std::make_shared<const nlohmann::json>(nlohmann::json::array());
  return empty;
}

const nlohmann::json* IncidentView::metric(const char* name) const {
  for (const auto& e : *evidence)
    if (e.is_object() && e.value("metric", std::string()) == name) return &e;
  return nullptr;
}

std::optional<IncidentView> parse_incident(const simdjson::dom::element& obj, const IncidentsById* known) {
  using simdjson::dom::element_type;
  if (obj.type() != element_type::OBJECT) return std::nullopt;
  IncidentView v;
  v.kind = text_at(obj, {"kind", "type"});
  v.node_id = text_at(obj, {"node_id", "node"});
  v.nodes = node_list(field_at(obj, {"nodes"}));
  v.chain_id = text_at(obj, {"chain_id", "chain"});
  if (v.kind.empty() || (v.node_id.empty() && v.nodes.empty() && v.chain_id.empty())) return std::nullopt;

  if (const auto sev = field_at(obj, {"severity"})) {
    const auto bare = insights::number_of(*sev);  // a bare number, else {"score":..}
    const double s = bare ? *bare : number_at(*sev, {"score", "value"});
    if (std::isfinite(s)) v.severity = std::clamp(s, 0.0, 1.0);
  }
  const double start = number_at(obj, {"start", "started_at"});
  v.start = std::isfinite(start) ? start : 0;
  v.id = text_at(obj, {"id"});
  if (v.id.empty()) {
    char ts[48];
    std::snprintf(ts, sizeof ts, "%.3f", v.start);
    v.id = v.kind + "/" + (v.node_id.empty() ? v.chain_id : v.node_id) + "/" + ts;
  }
  if (const auto ev = field_at(obj, {"evidence"}); ev && ev->type() == element_type::ARRAY) {
    const auto same = known ? known->find(v.id) : IncidentsById::const_iterator();
    if (known && same != known->end() && insights::same_as_nlohmann(*ev, *same->second.evidence))
      v.evidence = same->second.evidence;
    else
      v.evidence = std::make_shared<const nlohmann::json>(insights::to_nlohmann(*ev));
  }
  return v;
}

}  // namespace nebula::decision
