// The monitoring files shipped in deploy/, as the tests read them: the
// Grafana dashboard's queries and the metric names the dashboard and the
// alert rules mention.
#pragma once

#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_test/temp_dir.hpp"

namespace nebula_deploy_test {

inline const std::filesystem::path kDeployDir = std::filesystem::path(NEBULA_SOURCE_DIR) / "deploy";
inline const std::filesystem::path kDashboard = kDeployDir / "grafana" / "nebula-pool.json";
inline const std::filesystem::path kPrometheusConfig = kDeployDir / "prometheus" / "prometheus.yml";
inline const std::filesystem::path kAlertRules = kDeployDir / "prometheus" / "rules" / "nebula-pool.rules.yml";

inline nlohmann::json dashboard() { return nlohmann::json::parse(nebula_test::read_file(kDashboard)); }

struct PanelQuery {
  std::string panel;  // the panel's title
  std::string ref_id;
  std::string expr;
};

// Every query of every panel (rows hold none; collapsed rows keep theirs in "panels").
inline std::vector<PanelQuery> panel_queries(const nlohmann::json& dash) {
  std::vector<PanelQuery> out;
  std::vector<nlohmann::json> panels(dash["panels"].begin(), dash["panels"].end());
  for (size_t i = 0; i < panels.size(); ++i) {
    for (const auto& inner : panels[i].value("panels", nlohmann::json::array())) panels.push_back(inner);
    for (const auto& t : panels[i].value("targets", nlohmann::json::array()))
      out.push_back({panels[i].value("title", ""), t.value("refId", ""), t.value("expr", "")});
  }
  return out;
}

// Every nebula_* metric name a text mentions (queries, descriptions,
// annotations): the names an operator would look for on /metrics.
inline std::set<std::string> metric_names_in(const std::string& text) {
  static const std::regex name(R"(\bnebula_[a-z0-9_]*[a-z0-9])");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), name); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

// A dashboard query as Prometheus takes it: Grafana's variables replaced by
// what they stand for on a single pool scraped every second.
inline std::string with_variables(std::string expr, const std::string& job) {
  const std::vector<std::pair<std::string, std::string>> values = {
      {"$__rate_interval", "10s"}, {"$instance", ".*"}, {"$job", job}};
  for (const auto& [variable, value] : values)
    for (size_t at = expr.find(variable); at != std::string::npos; at = expr.find(variable, at + value.size()))
      expr.replace(at, variable.size(), value);
  return expr;
}

}  // namespace nebula_deploy_test
