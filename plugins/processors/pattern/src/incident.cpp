#include "nebula_pattern/incident.hpp"

#include <cmath>
#include <cstdio>

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

void write_incident(JsonWriter& w, const Incident& inc) {
  w.begin_object();
  w.key("chain_id").value(inc.chain_id);
  if (present(inc.end)) {
    w.key("end").value(inc.end);
    w.key("end_reason").value(inc.end_reason);
  }
  w.key("evidence").begin_array();
  for (const auto& e : inc.evidence) {
    w.begin_object();
    w.key("baseline").value(e.baseline);
    w.key("deviation").value(e.deviation);
    w.key("metric").value(e.metric);
    w.key("value").value(e.value);
    w.end_object();
  }
  w.end_array();
  w.key("id").value(inc.id);
  w.key("kind").value(kind_name(inc.kind));
  w.key("last_seen").value(inc.last_seen);
  if (inc.kind == Kind::Partition) {
    w.key("nodes").begin_array();
    for (const auto& n : inc.nodes) w.value(n);
    w.end_array();
  } else {
    w.key("node_id").value(inc.node_id);
  }
  w.key("severity").begin_object();
  w.key("label").value(severity_label(inc.severity));
  w.key("score").value(std::round(inc.severity * 1000) / 1000);
  w.end_object();
  w.key("start").value(inc.start);
  w.end_object();
}

}  // namespace nebula::pattern
