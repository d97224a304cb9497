// The web console's data calls (docs/console.md), behind the admin token
// like the rest of the API:
//   GET /api/v1/console/fleet      nodes per chain and type by health, one page of nodes
//   GET /api/v1/console/nodes/{id} a node's last hour, what each agent says about it now,
//                                   and its agents' checks over time from the history
//   GET /api/v1/console/history    the pool's and the agents' figures over the last hour
//   GET /api/v1/console/pipeline   the components and their inputs (the YAML graph)
#include <spdlog/spdlog.h>

#include "app/admin_api.hpp"
#include "app/admin_json.hpp"

namespace nebula::host {
namespace {

constexpr size_t kMaxPage = 1000;
constexpr long kChecksPerTopic = 60;

// A query parameter as a count in [0, max], or an error message.
std::optional<std::string> count_param(const http::Request& req, const char* key, size_t max, size_t& out) {
  if (!req.query.count(key)) return std::nullopt;
  const std::string& text = req.query.at(key);
  try {
    size_t used = 0;
    const long long v = std::stoll(text, &used);
    if (used != text.size() || v < 0 || static_cast<unsigned long long>(v) > max) throw std::out_of_range(key);
    out = static_cast<size_t>(v);
    return std::nullopt;
  } catch (const std::exception&) {
    return std::string(key) + " must be an integer between 0 and " + std::to_string(max);
  }
}

// What one agent answers about the node now ({"error": why} when it cannot,
// e.g. it has not scored the node yet: the page shows why, not a blank).
nlohmann::json agent_view(const AgentWorker& agent, const std::string& node_id) {
  nlohmann::json out{{"name", agent.component().id()}, {"plugin", agent.component().plugin().id}};
  std::string answer, why;
  if (!agent.query(nlohmann::json{{"node_id", node_id}}.dump(), answer, why)) {
    out["error"] = why;
    return out;
  }
  auto doc = nlohmann::json::parse(answer, nullptr, false);
  if (doc.is_discarded()) out["error"] = "the agent answered something that is not JSON";
  else out["answer"] = std::move(doc);
  return out;
}

// The node's own entries in the newest `limit` history documents of `topic`
// (forecasts: forecast vs actual; health: expected vs observed; anomalies:
// score), oldest first. {"error": why} without a history sink.
nlohmann::json node_checks(Runtime& rt, const std::string& topic, const std::string& node_id) {
  SinkWorker* history = rt.history_sink();
  if (!history) return {{"error", "no sink keeps insight history (add nebula.sink.sqlite to the pipeline)"}};
  std::string answer, why;
  const nlohmann::json request{{"topic", topic}, {"node_id", node_id}, {"limit", kChecksPerTopic}};
  if (history->query(request.dump(), answer, why) != NEBULA_OK)
    return {{"error", "history sink '" + history->component().id() + "' failed: " + why}};
  const auto body = nlohmann::json::parse(answer, nullptr, false);
  if (!body.is_object() || !body.contains("insights") || !body["insights"].is_array())
    return {{"error", "history sink '" + history->component().id() + "' answered something that is not history"}};
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& row : body["insights"]) {
    const nlohmann::json& doc = row.contains("data") ? row["data"] : row.value("insight", nlohmann::json());
    if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) continue;
    for (const auto& entry : doc["nodes"])
      if (entry.is_object() && entry.value("node_id", "") == node_id) checks.insert(checks.begin(), entry);
  }
  return {{"topic", topic}, {"checks", checks}};
}

}  // namespace

void register_fleet_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/api/v1/console/fleet", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    FleetQuery q;
    for (auto [key, field] : {std::pair{"chain_id", &q.chain_id}, {"node_type", &q.node_type}, {"health", &q.health},
                              {"q", &q.search}})
      if (req.query.count(key)) *field = req.query.at(key);
    if (!q.health.empty() && q.health != "healthy" && q.health != "degraded" && q.health != "incident" &&
        q.health != "silent")
      return admin_error(400, "health must be one of healthy, degraded, incident, silent");
    if (auto problem = count_param(req, "offset", SIZE_MAX / 2, q.offset)) return admin_error(400, *problem);
    if (auto problem = count_param(req, "limit", kMaxPage, q.limit)) return admin_error(400, *problem);
    return admin_json(200, rt->fleet().fleet_json(q));
  });

  server.route("GET", "/api/v1/console/nodes/{id}", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    const std::string& id = req.params.at("id");
    auto out = rt->fleet().node_json(id);
    if (!out) return admin_error(404, "no node '" + id + "' in the last hour (or the console's fleet store is full)");
    nlohmann::json agents = nlohmann::json::array();
    auto topology = rt->read_topology();  // agents and the history sink outlive this answer, even across a reload
    for (const AgentWorker* a : rt->agents()) agents.push_back(agent_view(*a, id));
    (*out)["agents"] = std::move(agents);
    (*out)["history"] = {{"forecasts", node_checks(*rt, "forecasts", id)},
                         {"health", node_checks(*rt, "health", id)},
                         {"anomalies", node_checks(*rt, "anomalies", id)}};
    return admin_json(200, *out);
  });

  server.route("GET", "/api/v1/console/history", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    return admin_json(200, rt->fleet().history_json());
  });

  server.route("GET", "/api/v1/console/pipeline", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    return admin_json(200, rt->graph());
  });
}

}  // namespace nebula::host
