// The client's config (a JSON object, see docs/node.md), with the defaults
// and the discovery rules applied: endpoints from the config, else
// NEBULA_POOL_ENDPOINT, else http://localhost:7000; plugin dirs from the
// config, then NEBULA_PLUGIN_PATH.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_node.h"

namespace nebula::node {

struct BackoffConfig {
  std::chrono::milliseconds initial{500};
  std::chrono::milliseconds max{60'000};
};

struct NodeConfig {
  // Defaults stamped on records that lack them. node_id may be empty when
  // every record names its own node (a multi-node handle, as the simulator uses).
  std::string node_id;
  std::string node_type;
  std::string chain_id;

  std::vector<std::string> endpoints;  // failover order, never empty after parsing
  std::string transport = "auto";      // plugin id, or "auto": chosen per endpoint by URL scheme
  std::string transport_config = "{}";  // JSON object handed to client_create()
  std::vector<std::string> plugin_dirs;

  std::size_t batch_size = 50;
  std::chrono::milliseconds flush_interval{30'000};
  std::size_t buffer_max_records = 10'000;
  std::string spill_dir;  // never empty after parsing
  BackoffConfig backoff;
  std::size_t workers = 1;  // delivery threads; one batch per node in flight at a time
  std::chrono::milliseconds shutdown_timeout{5'000};
  nebula_node_log_level log_level = NEBULA_NODE_LOG_WARN;
};

// Throws std::invalid_argument("<key>: <what is wrong>").
NodeConfig parse_node_config(std::string_view json);

// Configured endpoints, else the comma-separated env value, else the default.
std::vector<std::string> discover_endpoints(const std::vector<std::string>& configured, const char* env_value);

// The plugin id serving `endpoint`: `transport` itself unless it is "auto",
// then by scheme (http:// and https://, tcp:// and tcp+tls://, file://).
// Throws std::invalid_argument.
std::string transport_for_endpoint(std::string_view endpoint, std::string_view transport);

// $XDG_STATE_HOME/nebula-node/<node>, else ~/.local/state/nebula-node/<node>,
// else /tmp/nebula-node-<uid>/<node>.
std::string default_spill_dir(std::string_view node_id);

}  // namespace nebula::node
