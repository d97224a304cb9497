// Configuration of the Redis transport's server side (the pool reading the
// sharded streams with a consumer group), read and checked in one place.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "redis_connection.hpp"
#include "stream_settings.hpp"

namespace nebula::redis {

struct ServerConfig {
  Endpoint endpoint;                   // the parsed `url` (+ password, timeouts)
  std::string stream{kDefaultStream};  // shard i is "<stream>:<i>"
  uint32_t shards = kDefaultShards;    // must equal the clients' `shards` (same default)
  std::string group = "nebula-pool";
  std::string consumer;             // this host's stable name (default: the hostname)
  uint32_t claim_idle_ms = 30'000;  // pending this long: its consumer is taken for dead
  uint32_t max_deliveries = 5;      // delivered more often: dead letter, not submitted
  uint32_t read_count = 64;         // entries per XREADGROUP (per shard)
  uint32_t block_ms = 1'000;        // XREADGROUP BLOCK; also bounds how long stop() waits
  uint32_t heartbeat_ms = 1'000;
  uint32_t member_timeout_ms = 5'000;  // no heartbeat this long: the member is gone
  uint32_t trim_interval_ms = 5'000;   // per owned shard: XTRIM MINID <oldest still needed>

  // Redis key names derived from `stream`.
  std::string shard_key(size_t shard) const;
  std::string members_key() const { return stream + ":members"; }
  std::string taken_key(const std::string& consumer_name) const { return stream + ":taken:" + consumer_name; }
};

// The host name: stable across restarts of the same host, which the
// consumer name must be (pending entries and the taken:<consumer> set are
// found again by it after a crash).
std::string default_consumer_name();

ServerConfig read_server_config(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::redis
