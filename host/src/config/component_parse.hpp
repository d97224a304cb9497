// The `components:` list: one ComponentSpec per entry, with the marks later
// checks point at.
#pragma once

#include <vector>

#include "config/mapping_reader.hpp"
#include "config/pipeline_config.hpp"

namespace nebula::host {

// Appends every component that is a mapping to config.components, even an
// incomplete one, so later checks know its id. `id_marks` receives, per
// appended component, where its id is written (its own mark when missing).
void parse_components(const MappingEntry& entry, PipelineConfig& config, std::vector<SourceMark>& id_marks,
                      ParseContext& ctx);

}  // namespace nebula::host
