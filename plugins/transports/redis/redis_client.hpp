// Client side of the Redis transport (used by the node library through
// nebula.transport.client/1): splits a data_batch by shard and appends every
// shard's entry with one Lua script. OK means "in Redis" (durable as far as
// Redis is configured to be), not yet "accepted by the pool". One deliver()
// at a time per client (ABI rule), so no locking.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "redis_client_config.hpp"
#include "redis_connection.hpp"

namespace nebula::redis {

// How long a node waits before retrying a batch refused because a stream is full.
inline constexpr uint32_t kFullStreamRetryMs = 1'000;

class RedisClient {
 public:
  // endpoint: redis://[:password@]host[:port][/db]; a bad endpoint or config
  // throws nebula::Error(NEBULA_INVALID). Does not connect yet.
  RedisClient(const std::string& endpoint, const nlohmann::json& config);

  Delivery deliver(std::string_view batch_json);

 private:
  ClientConfig config_;
  Connection connection_;  // connects on first use, again after any failure
};

}  // namespace nebula::redis
