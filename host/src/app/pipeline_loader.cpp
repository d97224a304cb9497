#include "app/pipeline_loader.hpp"

#include <iostream>

#include "config/agent_thread_defaults.hpp"

namespace nebula::host {

void load_pipeline(const std::string& path, LoadedPipeline& out) {
  ParseResult parsed = parse_pipeline(path);
  out.config = std::move(parsed.config);
  out.issues = std::move(parsed.issues);
  out.registry.load_directories(plugin_search_path(out.config.plugin_paths));
  const PluginLookup plugins = [&](const std::string& id) -> std::optional<PluginFacts> {
    const LoadedPlugin* p = out.registry.find(id);
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
  check_components(out.config, plugins, out.issues);
  fill_agent_torch_threads(out.config, plugins);
}

size_t report_problems(const LoadedPipeline& pipeline, bool include_load_errors) {
  if (include_load_errors)
    for (const auto& e : pipeline.registry.errors()) std::cerr << "warning: plugin " << e.file << ": " << e.message << "\n";
  for (const auto& issue : pipeline.issues) std::cerr << issue.format() << "\n";
  return pipeline.issues.size();
}

}  // namespace nebula::host
