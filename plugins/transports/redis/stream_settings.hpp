// The settings both sides of the Redis transport read the same way: which
// streams (prefix, shard count), the connection timeouts and a password.
// Shared defaults, so a client and a pool left at their defaults agree.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::redis {

inline constexpr std::string_view kDefaultStream = "nebula:records";  // shard i is "<stream>:<i>"
inline constexpr uint32_t kDefaultShards = 8;
inline constexpr uint32_t kDefaultConnectTimeoutMs = 2'000;
inline constexpr uint32_t kDefaultCommandTimeoutMs = 5'000;

struct StreamSettings {
  std::string stream{kDefaultStream};
  uint32_t shards = kDefaultShards;
  uint32_t connect_timeout_ms = kDefaultConnectTimeoutMs;
  uint32_t command_timeout_ms = kDefaultCommandTimeoutMs;
  std::string password;  // "" when not given; each side has its own rule for one in the URL too
};

// Reads stream, shards, connect_timeout_ms, command_timeout_ms and password
// (unknown keys are the caller's to reject). Problems go to `errors` as
// "/<key>: <message>"; the defaults stand in for bad values.
StreamSettings read_stream_settings(const nlohmann::json& cfg, ConfigErrors& errors);

}  // namespace nebula::redis
