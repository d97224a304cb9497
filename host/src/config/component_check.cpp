// Phase 2: with plugins loaded, every component's plugin must exist, be
// wired to kinds it can consume, and accept its own config.
#include <map>

#include "config/config_issue.hpp"
#include "config/issue_order.hpp"
#include "config/json_pointer_mark.hpp"
#include "config/kind_wiring.hpp"

namespace nebula::host {
namespace {

bool is_known_kind(nebula_plugin_kind kind) {
  return kind == NEBULA_KIND_TRANSPORT || kind == NEBULA_KIND_PROCESSOR || kind == NEBULA_KIND_AGENT ||
         kind == NEBULA_KIND_SINK;
}

// Where a plugin's error about `pointer` belongs in the YAML file.
SourceMark mark_for_plugin_error(const PipelineConfig& config, const ComponentSpec& component,
                                 const std::string& pointer) {
  if (auto mark = mark_for_pointer(component.config_node, pointer)) return source_mark(config.file, *mark);
  return component.mark;
}

void validate_config(const PipelineConfig& config, const ComponentSpec& component, const PluginFacts& facts,
                     std::vector<ConfigIssue>& issues) {
  if (!facts.validate) return;
  const std::string subject = "component '" + component.id + "' config";
  std::vector<std::pair<std::string, std::string>> errors;
  try {
    errors = facts.validate(component.config);
  } catch (const std::exception& e) {
    issues.push_back({component.plugin_mark, "plugin '" + component.plugin + "' failed to check the config of component '" +
                                                 component.id + "': " + e.what()});
    return;
  }
  for (const auto& [pointer, message] : errors)
    issues.push_back({mark_for_plugin_error(config, component, pointer),
                      subject + (pointer.empty() ? "" : " " + pointer) + ": " + message});
}

}  // namespace

void check_components(const PipelineConfig& config, const PluginLookup& plugins, std::vector<ConfigIssue>& issues) {
  const size_t first_new = issues.size();
  std::map<std::string, nebula_plugin_kind> kinds;  // by component id, plugin found
  for (const ComponentSpec& component : config.components) {
    if (component.plugin.empty()) continue;  // phase 1 said so already
    std::optional<PluginFacts> facts = plugins(component.plugin);
    if (!facts) {
      issues.push_back({component.plugin_mark,
                        "no plugin with id '" + component.plugin + "' was found in the plugin paths"});
      continue;
    }
    if (!is_known_kind(facts->kind)) {
      issues.push_back({component.plugin_mark, "plugin '" + component.plugin + "' declares an unknown kind (" +
                                                   std::to_string(int(facts->kind)) + ")"});
      continue;
    }
    kinds.try_emplace(component.id, facts->kind);
    validate_config(config, component, *facts, issues);
  }
  check_kind_wiring(config, kinds, issues);
  sort_by_position(issues.begin() + first_new, issues.end());
}

}  // namespace nebula::host
