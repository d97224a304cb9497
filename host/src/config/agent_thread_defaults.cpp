#include "config/agent_thread_defaults.hpp"

namespace nebula::host {

void fill_agent_torch_threads(PipelineConfig& config, const PluginLookup& plugins) {
  constexpr const char* kKey = "torch_threads";
  for (ComponentSpec& component : config.components) {
    if (!component.config.is_object() || component.config.contains(kKey)) continue;
    const std::optional<PluginFacts> facts = plugins(component.plugin);
    if (!facts || facts->kind != NEBULA_KIND_AGENT || !facts->validate) continue;
    nlohmann::json with_threads = component.config;
    with_threads[kKey] = config.training.torch_threads_per_agent;
    try {
      if (facts->validate(with_threads).empty()) component.config = std::move(with_threads);
    } catch (const std::exception&) {
      // check_components() has reported this plugin's failing validate_config already.
    }
  }
}

}  // namespace nebula::host
