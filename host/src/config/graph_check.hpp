// Phase-1 checks of the wiring: ids are unique, each input names another
// existing component (once), and following inputs never leads back to the
// start (a cycle would pass data around forever).
#pragma once

#include <vector>

#include "config/pipeline_config.hpp"

namespace nebula::host {

// `id_marks[i]` is where components[i].id is written.
void check_graph(const std::vector<ComponentSpec>& components, const std::vector<SourceMark>& id_marks,
                 std::vector<ConfigIssue>& issues);

}  // namespace nebula::host
