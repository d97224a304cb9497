// Everything `run` and `validate` share: parse the YAML, load the plugins it
// points at, and check every component against its plugin.
#pragma once

#include <string>
#include <vector>

#include "config/pipeline_config.hpp"
#include "runtime/plugin_registry.hpp"

namespace nebula::host {

struct LoadedPipeline {
  PipelineConfig config;
  PluginRegistry registry;
  std::vector<ConfigIssue> issues;  // empty = valid
};

// Where plugins are looked for: the pipeline's plugins.paths, then
// NEBULA_PLUGIN_PATH, then the installed tree's own folder
// (<exe dir>/../lib/nebula/plugins) when it exists and is not listed yet.
std::vector<std::string> plugin_directories(const std::vector<std::string>& configured);

// Never throws for bad input; all problems end up in `issues` or in
// registry.errors() (libraries that could not be loaded).
void load_pipeline(const std::string& path, LoadedPipeline& out);

// The plugin facts phase 2 of the checks needs, from loaded plugins.
PluginLookup plugin_lookup(const PluginRegistry& registry);

// Parses and checks `path` against plugins already loaded: what a reload
// does, as the running pool loads no new plugin files. The same issues as
// load_pipeline (and `validate`) report.
ParseResult check_pipeline(const std::string& path, const PluginRegistry& registry);

// Prints issues as "file:line:col: message" and plugin load problems; returns
// the number of issues.
size_t report_problems(const LoadedPipeline& pipeline, bool include_load_errors);

}  // namespace nebula::host
