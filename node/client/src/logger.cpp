#include "logger.hpp"

#include <cstdio>
#include <stdexcept>

namespace nebula::node {

namespace {
const char* level_name(nebula_node_log_level level) {
  switch (level) {
    case NEBULA_NODE_LOG_DEBUG: return "debug";
    case NEBULA_NODE_LOG_INFO: return "info";
    case NEBULA_NODE_LOG_WARN: return "warn";
    case NEBULA_NODE_LOG_ERROR: return "error";
  }
  return "?";
}
}  // namespace

void Logger::set_level(nebula_node_log_level level) {
  std::lock_guard lock(mu_);
  level_ = level;
}

void Logger::set_callback(nebula_node_log_fn fn, void* user) {
  std::lock_guard lock(mu_);
  fn_ = fn;
  user_ = user;
}

void Logger::log(nebula_node_log_level level, std::string_view message) const {
  std::lock_guard lock(mu_);
  if (level < level_) return;
  if (fn_) {
    const std::string text(message);
    fn_(user_, level, text.c_str());
    return;
  }
  std::fprintf(stderr, "[nebula-node] %s: %.*s\n", level_name(level), static_cast<int>(message.size()),
               message.data());
}

nebula_node_log_level parse_log_level(std::string_view name) {
  if (name == "debug") return NEBULA_NODE_LOG_DEBUG;
  if (name == "info") return NEBULA_NODE_LOG_INFO;
  if (name == "warn") return NEBULA_NODE_LOG_WARN;
  if (name == "error") return NEBULA_NODE_LOG_ERROR;
  throw std::invalid_argument("log_level: must be one of debug, info, warn, error");
}

}  // namespace nebula::node
