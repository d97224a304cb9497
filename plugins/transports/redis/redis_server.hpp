// The server side of nebula.transport.redis: the pool reads the sharded
// streams the nodes' clients append to, as one consumer of a consumer group,
// each host reading only the shards it owns (membership.hpp), and hands every
// entry to the host. See redis_server_reader.hpp for the loop and
// redis_server_processor.hpp for when an entry is acknowledged.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>
#include <nebula/nebula_plugin.h>

#include "redis_connection.hpp"
#include "redis_server_config.hpp"
#include "redis_server_heartbeat.hpp"
#include "redis_server_reader.hpp"
#include "redis_server_status.hpp"

namespace nebula::redis {

class RedisServer {
 public:
  RedisServer(Host host, ServerConfig cfg);
  ~RedisServer() { stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Never fails for an unreachable Redis: the threads retry with back-off
  // and report the host not ready meanwhile.
  void start();
  // Reader first (the entry in flight finishes), then the heartbeat, which
  // leaves the member set so the others take the shards over at once.
  void stop();
  nlohmann::json describe() const;

  // Before start(), for an entry the host logged but may not have
  // acknowledged: OK keep, NOT_FOUND drop (another host claimed it),
  // RETRY Redis is unreachable.
  nebula_status confirm_replay(const std::string& origin);

 private:
  bool is_shard_key(const std::string& key) const;

  Host host_;
  const ServerConfig cfg_;
  ServerStatus status_;
  Heartbeat heartbeat_;
  Reader reader_;
  std::mutex mu_;                     // serialises start/stop
  std::atomic<bool> running_{false};  // read by describe() without waiting for a stop
  std::mutex control_mu_;
  Connection control_;  // confirm_replay's, before the threads run
};

}  // namespace nebula::redis
