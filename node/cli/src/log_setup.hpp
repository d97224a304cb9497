// nebula-node's log lines: spdlog on stderr, local time with its UTC offset,
// the same shape as nebula-pool's (so a node's and the pool's logs interleave).
#pragma once

#include "nebula_node.h"

namespace nebula::node::cli {

// Sets the process-wide spdlog pattern; call once, first thing in main.
void use_timestamped_log();

// A nebula_node_log_fn that hands libnebula_node's lines to spdlog (instead
// of the library's own untimestamped stderr lines).
void log_to_spdlog(void* user, nebula_node_log_level level, const char* msg);

}  // namespace nebula::node::cli
