#include "app/pipeline_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "config/agent_thread_defaults.hpp"
#include "nebula/install_layout.hpp"

namespace nebula::host {

std::vector<std::string> plugin_directories(const std::vector<std::string>& configured) {
  std::vector<std::string> dirs = plugin_search_path(configured);
  // An installed pool loads its own plugins with no plugins.paths at all; a
  // build tree has no such folder (build/lib/nebula/plugins), so nothing changes there.
  const std::string installed = nebula::installed_plugin_dir().string();
  std::error_code ec;
  if (!installed.empty() && std::filesystem::is_directory(installed, ec) &&
      std::find(dirs.begin(), dirs.end(), installed) == dirs.end())
    dirs.push_back(installed);
  return dirs;
}

void load_pipeline(const std::string& path, LoadedPipeline& out) {
  ParseResult parsed = parse_pipeline(path);
  out.config = std::move(parsed.config);
  out.issues = std::move(parsed.issues);
  out.registry.load_directories(plugin_directories(out.config.plugin_paths));
  const PluginLookup plugins = plugin_lookup(out.registry);
  check_components(out.config, plugins, out.issues);
  fill_agent_torch_threads(out.config, plugins);
}

PluginLookup plugin_lookup(const PluginRegistry& registry) {
  return [&registry](const std::string& id) -> std::optional<PluginFacts> {
    const LoadedPlugin* p = registry.find(id);
    if (!p) return std::nullopt;
    const nebula_plugin_descriptor* d = p->descriptor;
    return PluginFacts{d->kind, [d](const nlohmann::json& cfg) {
                         char err[NEBULA_ERROR_CAP * 4] = {0};
                         std::string text = cfg.dump();
                         if (d->validate_config(text.c_str(), err, sizeof err) == NEBULA_OK)
                           return std::vector<std::pair<std::string, std::string>>{};
                         auto problems = split_plugin_errors(err);
                         if (problems.empty()) problems.emplace_back("", "invalid configuration");
                         return problems;
                       }};
  };
}

ParseResult check_pipeline(const std::string& path, const PluginRegistry& registry) {
  ParseResult parsed = parse_pipeline(path);
  const PluginLookup plugins = plugin_lookup(registry);
  check_components(parsed.config, plugins, parsed.issues);
  fill_agent_torch_threads(parsed.config, plugins);
  return parsed;
}

size_t report_problems(const LoadedPipeline& pipeline, bool include_load_errors) {
  if (include_load_errors)
    for (const auto& e : pipeline.registry.errors()) std::cerr << "warning: plugin " << e.file << ": " << e.message << "\n";
  for (const auto& issue : pipeline.issues) std::cerr << issue.format() << "\n";
  return pipeline.issues.size();
}

}  // namespace nebula::host
