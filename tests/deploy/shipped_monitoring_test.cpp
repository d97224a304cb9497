// The Grafana dashboard, Prometheus scrape config and alert rules shipped in
// deploy/ (#17), against the real thing:
//   - the dashboard is a well-formed Grafana dashboard (unique ids, a
//     Prometheus datasource variable every query uses, grid positions);
//   - every metric name the dashboard and the rules mention is on a real
//     pool's /metrics, so the files cannot drift from the code;
//   - a real Prometheus on the shipped config (token and target swapped in)
//     scrapes that pool through its bearer token, loads the shipped rules and
//     evaluates them without error, answers every dashboard query and the
//     variables' label queries, and holds the alerts the failing webhook sink
//     of the pool raises.
#include <gtest/gtest.h>

#include <iostream>
#include <regex>
#include <set>
#include <string>

#include "live_pool.hpp"
#include "nebula_test/child_process.hpp"
#include "prometheus_process.hpp"
#include "shipped_files.hpp"

namespace {

using nlohmann::json;
using namespace nebula_deploy_test;

const char* const kJob = "nebula-pool";

// The alert named `name` in Prometheus's /api/v1/alerts with label
// component=`component`; null while there is none.
json alert(const PrometheusProcess& prometheus, const std::string& name, const std::string& component) {
  const json answer = prometheus.api("/api/v1/alerts");
  if (!answer.is_object()) return nullptr;
  for (const auto& a : answer["data"]["alerts"])
    if (a["labels"].value("alertname", "") == name && a["labels"].value("component", "") == component) return a;
  return nullptr;
}

}  // namespace

TEST(ShippedDashboard, IsAGrafanaDashboardWhosePanelsQueryThePrometheusVariable) {
  const json dash = dashboard();
  EXPECT_EQ(dash.value("uid", ""), "nebula-pool");
  EXPECT_FALSE(dash.value("title", "").empty());
  EXPECT_GE(dash.value("schemaVersion", 0), 36) << "Grafana 9+ dashboards (datasource objects with uid)";
  ASSERT_TRUE(dash["panels"].is_array());
  ASSERT_FALSE(dash["panels"].empty());

  // A `datasource` variable of type datasource over Prometheus: the importer picks their Prometheus.
  std::set<std::string> variables;
  bool datasource_variable = false;
  for (const auto& v : dash["templating"]["list"]) {
    variables.insert(v.value("name", ""));
    if (v.value("name", "") == "datasource")
      datasource_variable = v.value("type", "") == "datasource" && v.value("query", "") == "prometheus";
    else
      EXPECT_EQ(v["datasource"]["uid"], "${datasource}") << v.dump();
  }
  EXPECT_TRUE(datasource_variable) << dash["templating"].dump();
  EXPECT_TRUE(variables.count("job") && variables.count("instance")) << dash["templating"].dump();

  std::set<int> ids;
  std::set<std::string> titles;
  size_t queries = 0;
  for (const auto& panel : dash["panels"]) {
    const std::string title = panel.value("title", "");
    ASSERT_TRUE(panel.contains("id") && panel["id"].is_number_integer()) << panel.dump().substr(0, 200);
    EXPECT_TRUE(ids.insert(panel["id"].get<int>()).second) << "panel id " << panel["id"] << " used twice";
    EXPECT_FALSE(panel.value("type", "").empty()) << title;
    const json& grid = panel["gridPos"];
    ASSERT_TRUE(grid.is_object()) << title;
    EXPECT_GE(grid.value("x", -1), 0) << title;
    EXPECT_LE(grid.value("x", 0) + grid.value("w", 0), 24) << title << " goes past the 24 columns";
    EXPECT_GT(grid.value("h", 0), 0) << title;
    if (panel["type"] == "row") continue;
    EXPECT_FALSE(title.empty()) << "a panel without a title: id " << panel["id"];
    EXPECT_TRUE(titles.insert(title + "/" + panel.value("type", "")).second) << "two panels '" << title << "' of one type";
    EXPECT_FALSE(panel.value("description", "").empty()) << title << " says nothing about what it shows";
    EXPECT_EQ(panel["datasource"]["uid"], "${datasource}") << title;
    ASSERT_TRUE(panel["targets"].is_array() && !panel["targets"].empty()) << title << " has no query";
    std::set<std::string> refs;
    for (const auto& t : panel["targets"]) {
      ++queries;
      EXPECT_TRUE(refs.insert(t.value("refId", "")).second) << title << ": refId " << t["refId"] << " twice";
      EXPECT_EQ(t["datasource"]["uid"], "${datasource}") << title;
      const std::string expr = t.value("expr", "");
      EXPECT_FALSE(metric_names_in(expr).empty() && expr.find("up{") == std::string::npos)
          << title << ": '" << expr << "' reads none of the pool's metrics";
      // Each query follows the job and instance pickers.
      EXPECT_NE(expr.find("job=~\"$job\""), std::string::npos) << title << ": " << expr;
      EXPECT_NE(expr.find("instance=~\"$instance\""), std::string::npos) << title << ": " << expr;
    }
  }
  EXPECT_GE(queries, 30u);
}

TEST(ShippedMonitoring, RealPrometheusOnTheShippedFilesScrapesARealPoolAndAnswersTheDashboard) {
  LivePool pool;
  ASSERT_TRUE(pool.start()) << pool.log();
  const Exposition metrics = pool.wait_until_busy();
  ASSERT_GT(metrics.value("nebula_dead_letters_total", "\"hooks\""), 0)
      << "the pipeline never got busy\npool log:\n" << pool.log() << "\nfeed log:\n" << pool.feed_log();

  // 1. Every metric the shipped files mention is on /metrics.
  const std::string dashboard_text = nebula_test::read_file(kDashboard);
  const std::string rules_text = nebula_test::read_file(kAlertRules);
  for (const auto& [file, text] : {std::pair{kDashboard, dashboard_text}, std::pair{kAlertRules, rules_text}}) {
    const auto names = metric_names_in(text);
    EXPECT_GE(names.size(), 10u) << file;
    for (const auto& name : names)
      EXPECT_TRUE(metrics.has(name)) << file.filename() << " mentions " << name << ", which the pool does not expose";
  }

  // 2. The shipped config, adapted only in target and token path, passes promtool's full check (rule files included).
  PrometheusProcess prometheus(pool.admin_port(), kAdminToken);
  const std::string promtool = tool_path("NEBULA_PROMTOOL", "/usr/bin/promtool");
  const auto [code, output] = nebula_test::run_and_capture(promtool + " check config " + prometheus.config().string());
  EXPECT_EQ(code, 0) << output;

  // 3. It scrapes the pool through the token: the target is up and the feed
  // shows as an accepted-records rate (two scrapes apart).
  const auto started = std::chrono::steady_clock::now();
  const std::string ingest_rate = with_variables(
      "sum(rate(nebula_ingest_records_total{job=~\"$job\", instance=~\"$instance\", result=\"accepted\"}[$__rate_interval]))",
      kJob);
  json answer;
  const bool scraped = nebula_test::wait_until(
      [&] {
        answer = prometheus.query(ingest_rate);
        return answer.is_object() && !answer["data"]["result"].empty() &&
               std::stod(answer["data"]["result"][0]["value"][1].get<std::string>()) > 0;
      },
      std::chrono::seconds(60));
  ASSERT_TRUE(scraped) << answer.dump() << "\ntargets: " << prometheus.api("/api/v1/targets").dump()
                       << "\nprometheus log:\n" << prometheus.log_text();
  const double until_scraped = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(prometheus.query("up{job=\"nebula-pool\"}")["data"]["result"][0]["value"][1], "1");

  // 4. Every dashboard query is valid PromQL on the real data, and answers
  // whenever the metrics it reads have series on the pool (filters such as
  // "> 0" may rightly answer nothing).
  const Exposition now = parse_exposition(pool.get_metrics().body);
  size_t answered = 0;
  for (const auto& q : panel_queries(dashboard())) {
    const json result = prometheus.query(with_variables(q.expr, kJob));
    ASSERT_EQ(result.value("status", ""), "success") << q.panel << " " << q.ref_id << ": " << q.expr << "\n" << result.dump();
    bool has_series = true;
    for (const auto& name : metric_names_in(q.expr))
      has_series = has_series && now.has(name) && !now.families.at(name).samples.empty();
    const bool filters = std::regex_search(q.expr, std::regex(R"(\)\s*[<>]=?\s*\d)"));
    if (has_series && !filters) {
      EXPECT_FALSE(result["data"]["result"].empty()) << q.panel << " " << q.ref_id << " answers nothing: " << q.expr;
    }
    answered += !result["data"]["result"].empty();
  }

  // 5. The variables' label_values(selector, label) queries find this pool.
  const std::regex label_values(R"(^label_values\((.*),\s*(\w+)\)$)");
  for (const auto& v : dashboard()["templating"]["list"]) {
    if (v.value("type", "") != "query") continue;
    std::smatch m;
    const std::string definition = v.value("definition", "");
    ASSERT_TRUE(std::regex_match(definition, m, label_values)) << definition;
    const json values = prometheus.api("/api/v1/label/" + std::string(m[2]) + "/values?match[]=" +
                                       url_encoded(with_variables(m[1], kJob)));
    EXPECT_FALSE(values["data"].empty()) << definition << ": " << values.dump();
  }

  // 6. The shipped rules all evaluate without error on the real series, and
  // the failing webhook sink raises its alerts: dead letters at once, the
  // failing sink pending its 5 minutes.
  json failing, dead_letters;
  ASSERT_TRUE(nebula_test::wait_until(
      [&] {
        failing = alert(prometheus, "NebulaSinkFailing", "hooks");
        dead_letters = alert(prometheus, "NebulaDeadLettersGrowing", "hooks");
        return !failing.is_null() && !dead_letters.is_null();
      },
      std::chrono::seconds(30)))
      << prometheus.api("/api/v1/alerts").dump();
  EXPECT_EQ(failing["state"], "pending") << failing.dump();
  EXPECT_EQ(dead_letters["state"], "firing") << dead_letters.dump();
  EXPECT_EQ(dead_letters["labels"]["severity"], "warning");
  const json rules = prometheus.api("/api/v1/rules");
  size_t evaluated = 0;
  for (const auto& group : rules["data"]["groups"])
    for (const auto& rule : group["rules"]) {
      ++evaluated;
      EXPECT_EQ(rule.value("health", ""), "ok") << rule.value("name", "") << ": " << rule.value("lastError", "");
    }
  EXPECT_GE(evaluated, 15u) << rules.dump();
  // Nothing critical, and nothing about the sinks that work.
  for (const auto& a : prometheus.api("/api/v1/alerts")["data"]["alerts"]) {
    EXPECT_NE(a["labels"].value("severity", ""), "critical") << a.dump();
    const std::string component = a["labels"].value("component", "");
    EXPECT_TRUE(component != "history" && component != "archive") << a.dump();
  }
  std::cout << "prometheus answered the ingest rate " << until_scraped << " s after start; " << answered
            << " dashboard queries with data, " << evaluated << " rules evaluated\n";
}
