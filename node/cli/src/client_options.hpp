// The libnebula_node settings both commands share, as CLI flags, turned into
// the library's JSON config. A --config file gives the base; flags override it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace nebula::node::cli {

struct ClientOptions {
  std::string config_file;
  std::vector<std::string> endpoints;
  std::string transport;
  std::string transport_config;
  std::vector<std::string> plugin_dirs;
  std::string spill_dir;
  std::size_t batch_size = 0;  // 0: the library's default (or the config file's)
  std::uint64_t flush_interval_ms = 0;
  std::size_t buffer_max_records = 0;
  std::string log_level;

  void add_to(CLI::App& command);
  // Throws std::runtime_error on an unreadable config file or bad JSON.
  // Plugin dirs next to the executable are searched after the given ones.
  nlohmann::json to_config() const;
};

// ../plugins and ../lib/nebula/plugins beside this executable, where they exist.
std::vector<std::string> default_plugin_dirs();

}  // namespace nebula::node::cli
