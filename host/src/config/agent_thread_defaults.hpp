// training.torch_threads_per_agent reaches the agents through their own
// config, the only channel the ABI has from host to plugin: an agent
// component whose config leaves `torch_threads` out gets the host's value.
// Only agents whose plugin accepts the key take it (its validate_config is
// asked with the key added), so agents without libtorch, which reject
// unknown keys, are left alone. An agent's own `torch_threads` wins: it is
// the more specific setting, and configs written before this keep working.
#pragma once

#include "config/pipeline_config.hpp"

namespace nebula::host {

// Run after check_components(); changes only configs that stay valid.
void fill_agent_torch_threads(PipelineConfig& config, const PluginLookup& plugins);

}  // namespace nebula::host
