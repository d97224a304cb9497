// The processors of the default pipeline (config/pipeline.yaml) and how they
// are wired: the one place the same-answers replay learns the wiring from.
// PipelineWiring.MirrorsTheShippedPipeline holds this table to the YAML, so
// a change to the shipped wiring fails loudly here instead of silently
// replaying a different pipeline than the one operators run.
#pragma once

#include <string>
#include <vector>

namespace same_answers {

struct WiredProcessor {
  std::string id;      // component id in pipeline.yaml: the `source` of its insights
  std::string plugin;  // plugin id; its library is lib<plugin with '.' -> '_'>.so
  bool reads_records;  // has transports among its inputs
  std::vector<std::string> insight_inputs;  // components whose insights it takes (no topic filters)
  int stage = 0;       // 0 without insight inputs, else 1 + the deepest input's stage
};

// Declaration order, as in pipeline.yaml. None has a config there, so each is
// created with {} (its defaults), as the host does.
inline std::vector<WiredProcessor> default_pipeline() {
  std::vector<WiredProcessor> wired = {
      {"block_data", "nebula.processor.block_data", true, {}, 0},
      {"transactions", "nebula.processor.transaction_analyzer", true, {}, 0},
      {"network", "nebula.processor.network_monitor", true, {}, 0},
      {"stream", "nebula.processor.data_stream", true, {}, 0},
      {"patterns", "nebula.processor.pattern", true, {}, 0},
      {"intelligence", "nebula.processor.intelligence", true, {"patterns"}, 0},
      {"learning", "nebula.processor.learning", true, {"patterns"}, 0},
      {"memory", "nebula.processor.memory", true, {"patterns"}, 0},
      // The agents (not replayed: they learn, their output is not a processor's
      // answer) publish nothing here, so decisions replays without agent evidence.
      {"decisions", "nebula.processor.decision", false,
       {"patterns", "network", "block_data", "analyst", "resonant", "archivist"}, 0},
  };
  // Inputs are declared before their consumers, so one pass finds the stages.
  for (auto& p : wired)
    for (const auto& input : p.insight_inputs)
      for (const auto& q : wired)
        if (q.id == input && q.stage + 1 > p.stage) p.stage = q.stage + 1;
  return wired;
}

inline std::string library_of(const WiredProcessor& p) {
  std::string name = p.plugin;
  for (char& c : name)
    if (c == '.') c = '_';
  return "lib" + name + ".so";
}

}  // namespace same_answers
