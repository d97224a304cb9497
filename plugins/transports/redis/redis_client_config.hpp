// Client-side (node) configuration of the Redis transport: the node's
// `transport_config` JSON, read and checked in one place.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::redis {

struct ClientConfig {
  std::string stream = "nebula:records";  // key prefix: shard i is "<stream>:<i>"
  uint32_t shards = 8;
  uint64_t max_length = 100'000;           // entries per shard stream before deliveries get RETRY
  uint32_t connect_timeout_ms = 2'000;
  uint32_t command_timeout_ms = 5'000;
  std::string password;                    // "" = the endpoint URL's, if any
};

// Problems go to `errors` as "/<key>: <message>"; the defaults stand in for bad values.
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::redis
