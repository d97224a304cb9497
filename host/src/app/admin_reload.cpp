#include "app/admin_reload.hpp"

#include <spdlog/spdlog.h>

#include "app/admin_api.hpp"
#include "app/admin_json.hpp"
#include "app/pipeline_loader.hpp"

namespace nebula::host {
namespace {

nlohmann::json restarted_json(const std::vector<RestartedComponent>& restarted) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : restarted) out.push_back({{"id", r.id}, {"changed", r.why}});
  return out;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out.empty() ? "none" : out;
}

}  // namespace

PipelineReloader::PipelineReloader(std::string config_path, const PluginRegistry& registry, Metrics& metrics,
                                   std::function<void(Runtime&)> applied)
    : config_path_(std::move(config_path)), registry_(registry), metrics_(metrics), applied_(std::move(applied)) {
  metrics_.describe("nebula_reloads_total", Metrics::Type::Counter,
                    "Pipeline reloads (SIGHUP, POST /api/v1/admin/reload), by result: ok, refused (nothing "
                    "changed), failed (applied, but a component did not start)");
  for (const char* result : {"ok", "refused", "failed"}) metrics_.add("nebula_reloads_total", {{"result", result}}, 0);
}

ReloadAnswer PipelineReloader::refuse(int status, const std::string& trigger, nlohmann::json errors) {
  metrics_.add("nebula_reloads_total", {{"result", "refused"}});
  spdlog::error("reload ({}) of {} refused; the running pipeline goes on unchanged:", trigger, config_path_);
  for (const auto& e : errors) spdlog::error("  {}", e.get<std::string>());
  return {status, {{"status", "refused"}, {"file", config_path_}, {"errors", std::move(errors)}}};
}

ReloadAnswer PipelineReloader::reload(Runtime& runtime, const std::string& trigger) {
  std::lock_guard lock(mu_);
  spdlog::info("reload ({}): checking {}", trigger, config_path_);
  const ParseResult checked = check_pipeline(config_path_, registry_);
  if (!checked.issues.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& issue : checked.issues) errors.push_back(issue.format());
    return refuse(422, trigger, std::move(errors));
  }
  const auto started = std::chrono::steady_clock::now();
  ReloadReport report = runtime.reload(checked.config);
  if (!report.applied) return refuse(runtime.draining() ? 503 : 422, trigger, report.errors);

  spdlog::set_level(spdlog::level::from_str(checked.config.log_level));  // the one setting besides components
  const PipelineDiff& d = report.diff;
  const bool changed = d.changes_components();
  if (changed && applied_) applied_(runtime);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json body{{"status", changed ? "reloaded" : "unchanged"},
                      {"file", config_path_},
                      {"added", d.added},
                      {"removed", d.removed},
                      {"restarted", restarted_json(d.restarted)},
                      {"unchanged", d.unchanged},
                      {"errors", report.errors},
                      {"duration_ms", ms}};
  std::string restarted;
  for (const auto& r : d.restarted) restarted += (restarted.empty() ? "" : ", ") + r.id + " (" + r.why + ")";
  spdlog::info("reload ({}) applied in {:.0f} ms: added {}; removed {}; restarted {}; {} unchanged", trigger, ms,
               joined(d.added), joined(d.removed), restarted.empty() ? "none" : restarted, d.unchanged.size());
  if (!report.errors.empty()) {
    for (const auto& e : report.errors) spdlog::error("reload ({}): {}", trigger, e);
    metrics_.add("nebula_reloads_total", {{"result", "failed"}});
    return {500, std::move(body)};
  }
  metrics_.add("nebula_reloads_total", {{"result", "ok"}});
  return {200, std::move(body)};
}

void register_reload_route(http::Server& server, AdminContext& ctx) {
  server.route("POST", "/api/v1/admin/reload", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    PipelineReloader* reloader = ctx.reloader.load();
    if (!rt || !reloader || ctx.draining) return admin_error(503, "the pipeline is not running");
    ReloadAnswer answer = reloader->reload(*rt, "admin API");
    return admin_json(answer.http_status, answer.body);
  });
}

}  // namespace nebula::host
