#include "nebula_pattern/incident.hpp"

#include <cmath>
#include <cstdio>

#include <nebula/json_numbers.hpp>

namespace nebula::pattern {

Evidence make_evidence(std::string metric, double value, double baseline) {
  double deviation = kMissing;
  if (present(value) && present(baseline) && baseline != 0) deviation = (value - baseline) / std::fabs(baseline);
  return Evidence{std::move(metric), value, baseline, deviation};
}

std::string_view severity_label(double severity) {
  if (severity >= 0.7) return "high";
  if (severity >= 0.4) return "medium";
  return "low";
}

std::string incident_id(Kind kind, std::string_view target, double start) {
  char ts[48];
  std::snprintf(ts, sizeof ts, "%.3f", start);
  return std::string(kind_name(kind)) + "/" + std::string(target) + "/" + ts;
}

nlohmann::json to_json(const Incident& inc) {
  nlohmann::json j;
  j["id"] = inc.id;
  j["kind"] = kind_name(inc.kind);
  if (inc.kind == Kind::Partition) j["nodes"] = inc.nodes;
  else j["node_id"] = inc.node_id;
  j["chain_id"] = inc.chain_id;
  const double sev = std::round(inc.severity * 1000) / 1000;
  j["severity"] = {{"score", sev}, {"label", severity_label(inc.severity)}};
  j["start"] = number_or_null(inc.start);
  j["last_seen"] = number_or_null(inc.last_seen);
  if (present(inc.end)) {
    j["end"] = number_or_null(inc.end);
    j["end_reason"] = inc.end_reason;
  }
  nlohmann::json ev = nlohmann::json::array();
  for (const auto& e : inc.evidence)
    ev.push_back({{"metric", e.metric},
                  {"value", number_or_null(e.value)},
                  {"baseline", number_or_null(e.baseline)},
                  {"deviation", number_or_null(e.deviation)}});
  j["evidence"] = std::move(ev);
  return j;
}

}  // namespace nebula::pattern
