// Membership: a thread with its own connection that stamps this host into
// "<stream>:members" every heartbeat_ms (score = Redis time in ms), drops
// members silent for member_timeout_ms, and hands the live list to the
// reader, which derives the shards it owns from it (membership.hpp).
#pragma once

#include <thread>

#include <nebula/host.hpp>

#include "redis_server_config.hpp"
#include "redis_server_status.hpp"

namespace nebula::redis {

class Heartbeat {
 public:
  Heartbeat(Host host, const ServerConfig& cfg, ServerStatus& status);
  ~Heartbeat() { stop(); }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  void start();
  // Joins the thread, then removes this host from the members so the others
  // take its shards over at once instead of after member_timeout_ms.
  void stop();

 private:
  void run(std::stop_token stop);

  Host host_;
  const ServerConfig& cfg_;
  ServerStatus& status_;
  std::jthread thread_;
};

}  // namespace nebula::redis
