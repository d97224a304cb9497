// The library's log: a level filter in front of either stderr or a callback
// the embedding node installed (nebula_node_set_log_callback).
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "nebula_node.h"

namespace nebula::node {

class Logger {
 public:
  void set_level(nebula_node_log_level level);
  void set_callback(nebula_node_log_fn fn, void* user);

  // [thread-safe]
  void log(nebula_node_log_level level, std::string_view message) const;
  void debug(std::string_view m) const { log(NEBULA_NODE_LOG_DEBUG, m); }
  void info(std::string_view m) const { log(NEBULA_NODE_LOG_INFO, m); }
  void warn(std::string_view m) const { log(NEBULA_NODE_LOG_WARN, m); }
  void error(std::string_view m) const { log(NEBULA_NODE_LOG_ERROR, m); }

 private:
  mutable std::mutex mu_;  // the callback may not be reentrant; one line at a time
  nebula_node_log_level level_ = NEBULA_NODE_LOG_WARN;
  nebula_node_log_fn fn_ = nullptr;
  void* user_ = nullptr;
};

// "debug", "info", "warn", "error" (throws std::invalid_argument otherwise).
nebula_node_log_level parse_log_level(std::string_view name);

}  // namespace nebula::node
