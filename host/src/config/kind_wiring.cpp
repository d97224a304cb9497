#include "config/kind_wiring.hpp"

#include <optional>

namespace nebula::host {
namespace {

std::string describe(const std::string& id, nebula_plugin_kind kind) {
  return "'" + id + "' (" + kind_name(kind) + ")";
}

// Why `consumer` may not take input from `producer`, if it may not. Agents
// publish insights (ABI 1.3), so processors, sinks and other agents may take
// theirs; the graph check refuses the cycles that would make.
std::optional<std::string> wiring_problem(nebula_plugin_kind consumer, nebula_plugin_kind producer) {
  if (producer == NEBULA_KIND_SINK) return "sinks send data out of the pool and produce none";
  if (consumer == NEBULA_KIND_AGENT && producer == NEBULA_KIND_TRANSPORT)
    return "agents learn from processor insights, not raw records";
  if (consumer == NEBULA_KIND_SINK && producer == NEBULA_KIND_TRANSPORT)
    return "sinks take insights, not raw records";
  return std::nullopt;
}

std::string never_what(nebula_plugin_kind kind) {
  switch (kind) {
    case NEBULA_KIND_AGENT: return "learn";
    case NEBULA_KIND_SINK: return "send anything";
    default: return "run";
  }
}

}  // namespace

const char* kind_name(nebula_plugin_kind kind) {
  switch (kind) {
    case NEBULA_KIND_TRANSPORT: return "transport";
    case NEBULA_KIND_PROCESSOR: return "processor";
    case NEBULA_KIND_AGENT: return "agent";
    case NEBULA_KIND_SINK: return "sink";
  }
  return "unknown kind";
}

void check_kind_wiring(const PipelineConfig& config, const std::map<std::string, nebula_plugin_kind>& kinds,
                       std::vector<ConfigIssue>& issues) {
  for (const ComponentSpec& component : config.components) {
    auto own = kinds.find(component.id);
    if (own == kinds.end()) continue;
    const nebula_plugin_kind kind = own->second;
    const std::string self = "component " + describe(component.id, kind);

    if (kind == NEBULA_KIND_TRANSPORT) {
      if (!component.inputs.empty())
        issues.push_back({component.input_marks.front(),
                          self + " cannot take inputs: transports receive their data from outside the pool"});
      continue;
    }
    if (component.inputs.empty()) {
      issues.push_back({component.mark, self + " has no inputs, so it would never " + never_what(kind)});
      continue;
    }
    for (size_t k = 0; k < component.inputs.size(); ++k) {
      auto input = kinds.find(component.inputs[k]);
      if (input == kinds.end()) continue;
      if (auto problem = wiring_problem(kind, input->second))
        issues.push_back({component.input_marks[k], self + " cannot take input from " +
                                                        describe(input->first, input->second) + ": " + *problem});
    }
  }
}

}  // namespace nebula::host
