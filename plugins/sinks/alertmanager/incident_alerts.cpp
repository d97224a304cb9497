#include "incident_alerts.hpp"

#include <algorithm>
#include <cstdio>

#include <nebula/host.hpp>

#include "alert_labels.hpp"
#include "alert_text.hpp"

namespace nebula::alertmanager {

namespace {

const std::string* text_field(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

std::optional<double> number_field(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string evidence_text(const nlohmann::json& evidence) {
  std::string out;
  if (!evidence.is_array()) return out;
  for (const auto& e : evidence) {
    if (!e.is_object()) continue;
    const std::string* metric = text_field(e, "metric");
    out += (out.empty() ? "" : "; ") + (metric ? *metric : std::string("?")) + " = " +
           format_value(e.value("value", nlohmann::json())) + " (baseline " +
           format_value(e.value("baseline", nlohmann::json())) + ")";
  }
  return out;
}

// nullopt when the incident lacks what an alert needs (id, kind, a node or nodes).
std::optional<WantedAlert> incident_alert(const nlohmann::json& inc, const LabelSet& base) {
  if (!inc.is_object()) return std::nullopt;
  const std::string* id = text_field(inc, "id");
  const std::string* kind = text_field(inc, "kind");
  const std::string* node = text_field(inc, "node_id");
  const auto nodes = inc.find("nodes");
  const bool partition = !node && nodes != inc.end() && nodes->is_array() && !nodes->empty();
  if (!id || id->empty() || !kind || kind->empty() || (!partition && (!node || node->empty()))) return std::nullopt;

  WantedAlert a;
  a.identity = *id;
  a.labels = base;
  a.labels[labels::kAlertName] = labels::kIncidentAlert;
  a.labels[labels::kKind] = *kind;
  const std::string* chain = text_field(inc, "chain_id");
  if (chain && !chain->empty()) a.labels[labels::kChainId] = *chain;  // an empty label is no label to Alertmanager

  std::string subject;
  if (partition) {
    std::vector<std::string> members;
    for (const auto& n : *nodes)
      if (n.is_string()) members.push_back(n.get<std::string>());
    if (members.empty()) return std::nullopt;
    a.labels[labels::kNodeId] = partition_label(members);
    a.annotations["nodes"] = join_list(*nodes);
    a.annotations["node_count"] = std::to_string(members.size());
    subject = std::to_string(members.size()) + " nodes";
  } else {
    a.labels[labels::kNodeId] = *node;
    subject = "node " + *node;
  }

  std::string severity_label;
  double score = 0;
  if (auto sev = inc.find("severity"); sev != inc.end() && sev->is_object()) {
    if (const std::string* l = text_field(*sev, "label")) severity_label = *l;
    score = number_field(*sev, "score").value_or(0);
  } else if (sev != inc.end() && sev->is_number()) {
    score = sev->get<double>();
  }
  a.severity = incident_severity(severity_label, score);
  a.starts_at = number_field(inc, "start");

  const std::string where = chain && !chain->empty() ? " (chain " + *chain + ")" : "";
  a.annotations["summary"] = *kind + " on " + subject + where;
  std::string description = *kind + " on " + subject + where + ", severity " + format_value(score);
  if (auto evidence = evidence_text(inc.value("evidence", nlohmann::json())); !evidence.empty())
    description += ". Evidence: " + evidence;
  a.annotations["description"] = description;
  a.annotations["incident_id"] = *id;
  a.annotations["severity_score"] = format_value(score);
  return a;
}

}  // namespace

std::string partition_label(std::vector<std::string> nodes) {
  std::sort(nodes.begin(), nodes.end());
  uint32_t hash = 2166136261u;  // FNV-1a: short, stable across builds and hosts
  for (const auto& n : nodes) {
    for (unsigned char c : n) hash = (hash ^ c) * 16777619u;
    hash = (hash ^ 0u) * 16777619u;  // separator, so {"ab","c"} differs from {"a","bc"}
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", hash);
  return std::string("nodes-") + buf;
}

AlertView incident_alerts(const nlohmann::json& patterns, const LabelSet& base) {
  if (!patterns.is_object() || !patterns.contains("active") || !patterns["active"].is_array())
    throw Error(NEBULA_INVALID, "a patterns insight needs an \"active\" array (the complete current view)");
  AlertView view;
  for (const auto& inc : patterns["active"]) {
    if (auto alert = incident_alert(inc, base)) view.current.push_back(std::move(*alert));
    else ++view.malformed;
  }
  if (auto ended = patterns.find("ended"); ended != patterns.end() && ended->is_array())
    for (const auto& inc : *ended)
      if (const std::string* id = inc.is_object() ? text_field(inc, "id") : nullptr) view.ended.push_back(*id);
  if (auto cut = patterns.find("truncated"); cut != patterns.end() && cut->is_object())
    view.complete = number_field(*cut, "active").value_or(0) == 0;
  return view;
}

}  // namespace nebula::alertmanager
