#include "app/admin_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include "app/admin_json.hpp"
#include "http/security/secret.hpp"

namespace nebula::host {
namespace {

// The admin API's JSON answers, shared with admin_dead_letters.cpp.
constexpr auto json_response = admin_json;
constexpr auto error = admin_error;

nlohmann::json plugin_json(const LoadedPlugin& p) {
  const auto* d = p.descriptor;
  nlohmann::json caps = nlohmann::json::array();
  for (const char* cap : {NEBULA_CAP_PROCESSOR, NEBULA_CAP_AGENT, NEBULA_CAP_TRANSPORT_SERVER, NEBULA_CAP_TRANSPORT_CLIENT})
    if (d->get_capability(cap)) caps.push_back(cap);
  return {{"id", p.id},
          {"name", d->name ? d->name : ""},
          {"kind", kind_name(d->kind)},
          {"version", d->version ? d->version : ""},
          {"description", d->description ? d->description : ""},
          {"abi", std::to_string(p.abi_major) + "." + std::to_string(p.abi_minor)},
          {"file", p.file},
          {"capabilities", caps}};
}

// Liveness probes and the web console's static files carry no secret;
// everything else (unknown paths included, so they cannot be mapped) needs
// the token.
// With admin.public_probes, /readyz joins /healthz: a load balancer or
// kubelet probe then needs no secret (it learns only ready or not, and which
// components are not).
http::Guard bearer_guard(std::string token, bool public_probes, Metrics& metrics) {
  metrics.describe("nebula_admin_unauthorized_total", Metrics::Type::Counter,
                   "Admin API requests refused for a missing or wrong bearer token");
  return [token = std::move(token), public_probes, &metrics](const http::Request& req) -> std::optional<http::Response> {
    if (public_probes && req.method == "GET" && req.path == "/readyz") return std::nullopt;
    if (req.path == "/healthz" || is_console_path(req.path)) return std::nullopt;  // no data in either
    auto header = req.headers.find("authorization");
    const std::string given = header == req.headers.end() ? "" : security::bearer_token(header->second);
    if (!given.empty() && security::secret_equal(token, given)) return std::nullopt;
    metrics.add("nebula_admin_unauthorized_total", {});
    http::Response r = error(401, given.empty() ? "missing bearer token (Authorization: Bearer <token>)"
                                                : "invalid bearer token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  };
}

bool is_loopback(const std::string& address) {
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(address, ec);
  return ec ? address == "localhost" : ip.is_loopback();
}

}  // namespace

http::ServerOptions admin_server_options(const AdminSettings& settings, AdminContext& ctx) {
  http::ServerOptions opts;
  opts.address = settings.address;
  opts.port = settings.port;
  opts.tls = {settings.tls.cert, settings.tls.key, settings.tls.client_ca};
  if (!settings.token.empty()) opts.guard = bearer_guard(settings.token, settings.public_probes, ctx.metrics);
  ctx.token_required = !settings.token.empty();
  if (settings.token.empty() && settings.tls.client_ca.empty() && !is_loopback(settings.address))
    spdlog::warn("admin API on {} answers anyone who can reach it: set admin.token (and admin.tls)", settings.address);
  return opts;
}

void register_admin_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/healthz", [](const http::Request&) { return json_response(200, {{"status", "ok"}}); });

  server.route("GET", "/readyz", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (ctx.draining || (rt && rt->draining())) return json_response(503, {{"status", "draining"}});
    if (!rt || !rt->started()) return json_response(503, {{"status", "starting"}});
    if (auto not_ready = rt->not_ready(); !not_ready.empty()) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [id, reason] : not_ready) list.push_back({{"component", id}, {"reason", reason}});
      return json_response(503, {{"status", "degraded"}, {"not_ready", list}});
    }
    return json_response(200, {{"status", "ready"}});
  });

  server.route("GET", "/metrics", [&ctx](const http::Request&) {
    if (Runtime* rt = ctx.runtime.load()) rt->refresh_gauges();
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = ctx.metrics.render();
    return r;
  });

  server.route("GET", "/api/v1/pool/stats", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return error(503, "the pipeline is not running");
    return json_response(200, rt->stats());
  });

  register_insight_routes(server, ctx);
  register_tap_routes(server, ctx);

  server.route("GET", "/api/v1/agents", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return error(503, "the pipeline is not running");
    nlohmann::json agents = nlohmann::json::array();
    auto topology = rt->read_topology();  // a reload retires agents only when no reader holds it
    for (auto* a : rt->agents()) agents.push_back(a->describe());
    return json_response(200, {{"agents", agents}});
  });

  server.route("GET", "/api/v1/agents/{name}", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return error(503, "the pipeline is not running");
    auto topology = rt->read_topology();
    AgentWorker* a = rt->agent(req.params.at("name"));
    if (!a) return error(404, "no agent named '" + req.params.at("name") + "'");
    return json_response(200, a->describe());
  });

  server.route("POST", "/api/v1/agents/{name}/query", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return error(503, "the pipeline is not running");
    auto topology = rt->read_topology();
    AgentWorker* a = rt->agent(req.params.at("name"));
    if (!a) return error(404, "no agent named '" + req.params.at("name") + "'");
    std::string body = req.body.empty() ? "{}" : req.body;
    if (nlohmann::json::parse(body, nullptr, false).is_discarded()) return error(400, "query body must be JSON");
    std::string answer, why;
    if (!a->query(body, answer, why)) return error(422, why);
    http::Response r;
    r.body = std::move(answer);
    return r;
  });

  server.route("GET", "/api/v1/plugins", [&ctx](const http::Request&) {
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto* p : ctx.registry.all()) plugins.push_back(plugin_json(*p));
    nlohmann::json refused = nlohmann::json::array();
    for (const auto& e : ctx.registry.errors()) refused.push_back({{"file", e.file}, {"error", e.message}});
    return json_response(200, {{"plugins", plugins}, {"refused", refused}});
  });

  register_dead_letter_routes(server, ctx);
  register_reload_route(server, ctx);
  register_console_routes(server, ctx);
  register_fleet_routes(server, ctx);
}

nlohmann::json describe_plugin(const LoadedPlugin& p) { return plugin_json(p); }

}  // namespace nebula::host
