// The spelling rules for component ids and plugin ids.
#pragma once

#include <string_view>

namespace nebula::host {

// [A-Za-z_][A-Za-z0-9_-]*
bool is_valid_component_id(std::string_view id);

// Reverse-DNS: at least two dot-separated segments, each [a-z][a-z0-9_]*,
// e.g. "nebula.processor.block_data".
bool is_valid_plugin_id(std::string_view id);

}  // namespace nebula::host
