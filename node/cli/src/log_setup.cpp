#include "log_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace nebula::node::cli {

void use_timestamped_log() {
  // stderr, not spdlog's default stdout: stdout carries the records of
  // `run --dry-run` and the JSON summaries, for pipes.
  spdlog::set_default_logger(spdlog::stderr_color_mt("nebula-node"));
  // %z: +hh:mm. Same pattern as nebula-pool's run command (host/src/app/run_command.cpp).
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  // The library filters by its own log_level (--log-level); spdlog lets all through.
  spdlog::set_level(spdlog::level::debug);
}

void log_to_spdlog(void* /*user*/, nebula_node_log_level level, const char* msg) {
  switch (level) {
    case NEBULA_NODE_LOG_DEBUG: spdlog::debug("{}", msg); return;
    case NEBULA_NODE_LOG_INFO: spdlog::info("{}", msg); return;
    case NEBULA_NODE_LOG_WARN: spdlog::warn("{}", msg); return;
    case NEBULA_NODE_LOG_ERROR: spdlog::error("{}", msg); return;
  }
  spdlog::warn("{}", msg);
}

}  // namespace nebula::node::cli
