#include "nebula_sim/incident.hpp"

#include <ostream>
#include <sstream>

namespace nebula_sim {

std::string_view to_string(IncidentKind kind) {
  switch (kind) {
    case IncidentKind::Stall: return "stall";
    case IncidentKind::Eclipse: return "eclipse";
    case IncidentKind::Partition: return "partition";
    case IncidentKind::TxFlood: return "tx_flood";
    case IncidentKind::HashrateDrop: return "hashrate_drop";
    case IncidentKind::HashrateSurge: return "hashrate_surge";
    case IncidentKind::ResourceExhaustion: return "resource_exhaustion";
  }
  return "unknown";
}

std::optional<IncidentKind> parse_incident_kind(std::string_view name) {
  for (IncidentKind kind : kAllIncidentKinds) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

nlohmann::json to_json(const Incident& incident) {
  nlohmann::json j;
  j["node_id"] = incident.nodes.size() == 1 ? nlohmann::json(incident.nodes.front())
                                            : nlohmann::json(nullptr);
  j["nodes"] = incident.nodes;
  j["chain_id"] = incident.chain_id;
  j["kind"] = std::string(to_string(incident.kind));
  j["start"] = incident.start;
  j["end"] = incident.end;
  j["magnitude"] = incident.magnitude;
  return j;
}

void write_incidents_jsonl(std::ostream& out, const std::vector<Incident>& incidents) {
  for (const Incident& incident : incidents) out << to_json(incident).dump() << '\n';
}

std::string incidents_to_jsonl(const std::vector<Incident>& incidents) {
  std::ostringstream out;
  write_incidents_jsonl(out, incidents);
  return out.str();
}

}  // namespace nebula_sim
