// Client-side (node) configuration of the Redis transport: the node's
// `transport_config` JSON, read and checked in one place.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "stream_settings.hpp"

namespace nebula::redis {

struct ClientConfig {
  std::string stream{kDefaultStream};     // key prefix: shard i is "<stream>:<i>"
  uint32_t shards = kDefaultShards;
  uint64_t max_length = 100'000;           // entries per shard stream before deliveries get RETRY
  uint32_t connect_timeout_ms = kDefaultConnectTimeoutMs;
  uint32_t command_timeout_ms = kDefaultCommandTimeoutMs;
  std::string password;                    // "" = the endpoint URL's, if any (not both: see redis_client.cpp)
};

// Problems go to `errors` as "/<key>: <message>"; the defaults stand in for bad values.
ClientConfig read_client_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::redis
