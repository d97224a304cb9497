// Which kinds of component may feed which:
//   transport  takes no inputs (its data comes from outside the pool)
//   processor  takes records from transports and insights from processors
//   agent      takes insights from processors only
// Agents produce no data, so nothing takes an agent as input; a processor or
// agent without inputs would never be called.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/pipeline_config.hpp"

namespace nebula::host {

const char* kind_name(nebula_plugin_kind kind);

// `kinds` maps component id → kind for components whose plugin was found;
// components (and inputs) missing from it are skipped, having been reported.
void check_kind_wiring(const PipelineConfig& config, const std::map<std::string, nebula_plugin_kind>& kinds,
                       std::vector<ConfigIssue>& issues);

}  // namespace nebula::host
