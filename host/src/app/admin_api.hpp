// The operator's HTTP API (own port, default 127.0.0.1:7070): health,
// readiness, Prometheus metrics, pool stats, insights, agents, plugins.
// Optionally HTTPS (admin.tls) and behind a bearer token (admin.token):
// then every path but /healthz (and GET /readyz with admin.public_probes)
// needs "Authorization: Bearer <token>".
#pragma once

#include <atomic>

#include "config/pipeline_config.hpp"
#include "http/http_server.hpp"
#include "metrics/metrics.hpp"
#include "runtime/plugin_registry.hpp"
#include "runtime/runtime.hpp"

namespace nebula::host {

class PipelineReloader;  // admin_reload.hpp

struct AdminContext {
  Metrics& metrics;
  const PluginRegistry& registry;
  std::atomic<Runtime*> runtime{nullptr};  // null while starting / after shutdown
  std::atomic<bool> draining{false};
  std::atomic<PipelineReloader*> reloader{nullptr};  // set by `run` once the pipeline runs
  bool token_required = false;  // admin.token is set (the web console asks for it)
};

// Address, port, TLS files and the token guard from the admin settings.
http::ServerOptions admin_server_options(const AdminSettings& settings, AdminContext& ctx);
void register_admin_routes(http::Server& server, AdminContext& ctx);
// GET /api/v1/dead-letters, POST /api/v1/dead-letters/replay (admin_dead_letters.cpp).
void register_dead_letter_routes(http::Server& server, AdminContext& ctx);
void register_insight_routes(http::Server& server, AdminContext& ctx);
// POST /api/v1/admin/reload (admin_reload.cpp).
void register_reload_route(http::Server& server, AdminContext& ctx);
// GET /api/v1/pool/tap/{component}: live records and insights of one component (admin_tap.cpp).
void register_tap_routes(http::Server& server, AdminContext& ctx);
// {"topic", "source", "timestamp", "sequence", "data"}: an insight as the admin API lists it.
nlohmann::json insight_item(const OwnedInsight& in);
// The web console (docs/console.md): its page and files (admin_console.cpp,
// answered without the token: is_console_path) and its data calls
// (admin_fleet.cpp, behind the token).
void register_console_routes(http::Server& server, AdminContext& ctx);
void register_fleet_routes(http::Server& server, AdminContext& ctx);
bool is_console_path(const std::string& path);

}  // namespace nebula::host
