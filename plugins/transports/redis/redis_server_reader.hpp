// The read loop: one thread, one connection, the shards this host owns.
//
// Per session (one connection's life, started again after any loss):
//   1. create the groups if missing; send acknowledgements a loss interrupted;
//   2. for every shard that became ours: this consumer's own pending entries
//      first (read before a restart or a lost connection, never acknowledged);
//   3. claim entries idle for claim_idle_ms on owned shards (their consumer
//      is dead) — these are older than anything not yet delivered;
//   4. XREADGROUP ... > on owned shards (BLOCK block_ms);
//   5. trim owned shards every trim_interval_ms.
// Ownership is recomputed every iteration from the heartbeat's member list.
// While membership changes, two hosts may both read a shard for a moment:
// the group still hands each entry to one consumer, so that costs order,
// never loss or duplication.
#pragma once

#include <chrono>
#include <map>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <nebula/host.hpp>

#include "redis_connection.hpp"
#include "redis_scripts.hpp"
#include "redis_server_config.hpp"
#include "redis_server_processor.hpp"
#include "redis_server_status.hpp"

namespace nebula::redis {

class Reader {
 public:
  Reader(Host host, const ServerConfig& cfg, ServerStatus& status);
  ~Reader() { stop(); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  void start();
  // Stops reading (at most block_ms for a read in progress), lets the
  // entry being submitted finish, joins.
  void stop();

 private:
  using Clock = std::chrono::steady_clock;

  void run(std::stop_token stop);
  void session(std::stop_token stop);
  std::vector<size_t> owned_now();
  bool take_own_pending(size_t shard, std::stop_token stop);
  bool claim_idle(const std::vector<size_t>& owned, std::stop_token stop);
  bool drain(ClaimRequest request, std::stop_token stop);
  void note_claimed(const std::string& key, const std::vector<StreamEntry>& entries);
  bool process(const std::vector<StreamEntry>& entries, std::stop_token stop);
  void trim_due(const std::vector<size_t>& owned);

  Host host_;
  const ServerConfig& cfg_;
  ServerStatus& status_;
  Connection conn_;
  EntryProcessor processor_;
  Backoff backoff_{kReconnectFirst, kReconnectMax};
  bool had_session_ = false;
  Clock::time_point next_claim_{};
  std::map<size_t, Clock::time_point> next_trim_;
  std::jthread thread_;
};

}  // namespace nebula::redis
