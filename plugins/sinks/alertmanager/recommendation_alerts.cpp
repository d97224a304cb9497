#include "recommendation_alerts.hpp"

#include <nebula/host.hpp>

#include "alert_labels.hpp"
#include "alert_text.hpp"

namespace nebula::alertmanager {

namespace {

std::string text_of(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string identity_of(const std::string& action, const std::string& target) { return action + "/" + target; }

std::string incident_ids(const nlohmann::json& evidence) {
  std::string out;
  if (!evidence.is_object() || !evidence.contains("incidents") || !evidence["incidents"].is_array()) return out;
  for (const auto& inc : evidence["incidents"])
    if (inc.is_object()) out += (out.empty() ? "" : ", ") + text_of(inc, "id");
  return out;
}

std::optional<WantedAlert> recommendation_alert(const nlohmann::json& rec, const LabelSet& base) {
  if (!rec.is_object()) return std::nullopt;
  const std::string action = text_of(rec, "action");
  const std::string target = text_of(rec, "target");
  if (action.empty() || target.empty()) return std::nullopt;
  const std::string target_type = text_of(rec, "target_type");
  const std::string chain = text_of(rec, "chain_id");
  const double score = rec.contains("score") && rec["score"].is_number() ? rec["score"].get<double>() : 0.0;

  WantedAlert a;
  a.identity = identity_of(action, target);
  a.labels = base;
  a.labels[labels::kAlertName] = labels::kRecommendationAlert;
  a.labels[labels::kAction] = action;
  if (!target_type.empty()) a.labels[labels::kTargetType] = target_type;
  if (target_type == "chain") a.labels[labels::kChainId] = target;
  else a.labels[labels::kNodeId] = target;
  if (!chain.empty()) a.labels[labels::kChainId] = chain;
  a.severity = recommendation_severity(score);
  if (rec.contains("since") && rec["since"].is_number()) a.starts_at = rec["since"].get<double>();

  const std::string reason = text_of(rec, "reason");
  a.annotations["summary"] = action + " " + target + (chain.empty() || chain == target ? "" : " (chain " + chain + ")");
  std::string description = reason.empty() ? a.annotations["summary"] : reason;
  description += " Score " + format_value(rec.value("score", nlohmann::json())) + ", rank " +
                 format_value(rec.value("rank", nlohmann::json())) + ".";
  const nlohmann::json evidence = rec.value("evidence", nlohmann::json::object());
  if (auto ids = incident_ids(evidence); !ids.empty()) description += " Incidents: " + ids + ".";
  if (evidence.is_object() && evidence.contains("sources")) description += " Sources: " + join_list(evidence["sources"]) + ".";
  a.annotations["description"] = description;
  a.annotations["score"] = format_value(rec.value("score", nlohmann::json()));
  a.annotations["rank"] = format_value(rec.value("rank", nlohmann::json()));
  if (evidence.is_object() && evidence.contains("nodes")) a.annotations["nodes"] = join_list(evidence["nodes"]);
  return a;
}

}  // namespace

AlertView recommendation_alerts(const nlohmann::json& decisions, const LabelSet& base) {
  if (!decisions.is_object() || !decisions.contains("recommendations") || !decisions["recommendations"].is_array())
    throw Error(NEBULA_INVALID, "a decisions insight needs a \"recommendations\" array (the current list)");
  AlertView view;
  for (const auto& rec : decisions["recommendations"]) {
    if (auto alert = recommendation_alert(rec, base)) view.current.push_back(std::move(*alert));
    else ++view.malformed;
  }
  if (auto expired = decisions.find("expired"); expired != decisions.end() && expired->is_array())
    for (const auto& e : *expired)
      if (e.is_object()) view.ended.push_back(identity_of(text_of(e, "action"), text_of(e, "target")));
  // `truncated` counts recommendations cut at max_recommendations: those may
  // still stand, so only `expired` ones resolve then.
  if (auto cut = decisions.find("truncated"); cut != decisions.end() && cut->is_number() && cut->get<double>() > 0)
    view.complete = false;
  return view;
}

}  // namespace nebula::alertmanager
