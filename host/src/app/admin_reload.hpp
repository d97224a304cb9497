// Reloading the pipeline file while the pool runs: on SIGHUP (run_command)
// and POST /api/v1/admin/reload (behind the admin token like the rest).
// The file is checked first, exactly as `nebula-pool validate` checks it
// (against the plugins the pool has loaded); a bad one is refused with its
// file:line:col problems, logged and answered, and the running pipeline goes
// on unchanged. A good one goes to Runtime::reload, which restarts only what
// changed (docs/reload.md).
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "metrics/metrics.hpp"
#include "runtime/plugin_registry.hpp"
#include "runtime/runtime.hpp"

namespace nebula::host {

struct ReloadAnswer {
  int http_status = 200;  // 200 applied, 422 refused, 500 applied but something failed to start, 503 not now
  nlohmann::json body;    // {"status", "file", "added", "removed", "restarted", "unchanged", "errors"}
};

class PipelineReloader {
 public:
  // `applied` runs after every reload that changed something (run_command
  // rewrites endpoints.json: a new transport's port is there).
  PipelineReloader(std::string config_path, const PluginRegistry& registry, Metrics& metrics,
                   std::function<void(Runtime&)> applied);

  // [any thread] One reload at a time; `trigger` ("SIGHUP", "admin API") is logged.
  ReloadAnswer reload(Runtime& runtime, const std::string& trigger);

 private:
  ReloadAnswer refuse(int status, const std::string& trigger, nlohmann::json errors);

  std::string config_path_;
  const PluginRegistry& registry_;
  Metrics& metrics_;
  std::function<void(Runtime&)> applied_;
  std::mutex mu_;
};

}  // namespace nebula::host
