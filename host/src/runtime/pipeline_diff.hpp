// What a reload changes: the running pipeline file against the new one.
// Components are matched by id. A component whose plugin, config, inputs or
// topics differ is restarted (a new instance replaces the old); one that is
// the same keeps its instance, its state and (transports) its listener, even
// when the components next to it change. Settings outside `components` that
// the running pool cannot apply live are named, so the reload is refused
// with a reason instead of being half applied (docs/reload.md).
#pragma once

#include <string>
#include <vector>

#include "config/pipeline_config.hpp"

namespace nebula::host {

struct RestartedComponent {
  std::string id;
  std::string why;  // "config", "plugin", "inputs", "topics", joined by ", "
};

struct PipelineDiff {
  std::vector<std::string> added;      // in the new file only, in its order
  std::vector<std::string> removed;    // in the running pipeline only
  std::vector<RestartedComponent> restarted;
  std::vector<std::string> unchanged;
  bool changes_components() const { return !added.empty() || !removed.empty() || !restarted.empty(); }
  bool restarts(const std::string& id) const;
};

// What Runtime::reload() did. Refused (applied false): nothing changed, and
// `errors` says why. Applied: the new pipeline runs; `errors` lists what did
// not start (e.g. a transport whose port is taken).
struct ReloadReport {
  bool applied = false;
  std::vector<std::string> errors;
  PipelineDiff diff;
};

PipelineDiff diff_pipelines(const PipelineConfig& running, const PipelineConfig& next);

// One message per setting that differs and cannot change while the pool
// runs, e.g. "wal.fsync cannot change while the pool runs (restart it to
// apply)". Only `components` and `log_level` change live.
std::vector<std::string> fixed_setting_changes(const PipelineConfig& running, const PipelineConfig& next);

}  // namespace nebula::host
