// The server side's atomic steps, each one Lua script run by Redis in one go
// so no other consumer can act between its reads and its writes:
//
//   claim      take pending entries (another consumer's idle ones, or this
//              consumer's own after a restart), remembering whose they were
//   lease      "is this entry still mine?" + reset its idle time, right
//              before it is submitted to the host
//   ack        XACK, and forget that it was ever taken from me
//   confirm    during the host's log replay: still mine to process?
//   trim       drop the entries no consumer of any group needs any more
//   heartbeat  membership: stamp me with Redis's clock, drop the silent
//
// Needs Redis 7 (XPENDING IDLE, XCLAIM dropping trimmed ids). The taken set
// key is built inside the claim script, so this is for a single Redis (or a
// primary), not Redis Cluster.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "redis_connection.hpp"
#include "redis_server_config.hpp"
#include "redis_server_stream.hpp"

namespace nebula::redis {

struct ClaimRequest {
  std::string key;           // shard stream
  uint32_t min_idle_ms = 0;  // only entries idle at least this long
  std::string start = "-";   // XPENDING range start ("(<id>" = after id)
  uint32_t count = 64;
  std::string only_owner;  // "" = any consumer's entries
};

struct ClaimResult {
  std::vector<StreamEntry> entries;  // now this consumer's, with delivery counts and previous owners
  std::vector<std::string> lost;     // ids that were pending but trimmed away: Redis lost them
  std::string last_listed;           // last pending id looked at ("" = none): the next start
};

// XPENDING [IDLE] -> XCLAIM of exactly those ids; for each one taken from
// another consumer C, ZADD "<stream>:taken:<C>" <now ms> "<key> <id>" (each
// kept 7 days) so C, replaying its log after a crash, learns that it must
// drop its copy.
//
// "<key> <id>" is in taken:<C> exactly while it was claimed from C and C has
// neither acknowledged it nor claimed it back since (ack, claim).
ClaimResult claim(Connection& conn, const ServerConfig& cfg, const ClaimRequest& request);

// XACK (whoever holds the entry) + ZREM from taken:<me>, atomically: the
// host has it in its log (or dead-letter file) now.
void acknowledge(Connection& conn, const ServerConfig& cfg, const std::string& key, const std::string& id);

enum class Lease {
  kMine,     // still pending for this consumer; idle time reset
  kTaken,    // another consumer claimed it meanwhile: it processes it
  kSettled,  // no longer pending (acknowledged, or trimmed): nothing to do
};
Lease lease(Connection& conn, const ServerConfig& cfg, const StreamEntry& entry);

enum class Confirm {
  kTaken,      // in taken:<me>: another host claimed it; drop the logged copy
  kAcked,      // was still pending for me: acknowledged now, so nobody claims it later
  kSettled,    // not pending (already acknowledged, or the group is gone): keep
  kOtherOwner  // pending for another consumer although not in taken:<me>: drop
};
Confirm confirm(Connection& conn, const ServerConfig& cfg, const std::string& key, const std::string& id);

// XTRIM <key> MINID <m>, m = the oldest entry any group of the stream still
// needs: its oldest pending id, else its last-delivered id. Returns the
// number of entries removed.
long long trim(Connection& conn, const std::string& key);

// ZADD members <Redis TIME in ms> me; ZREMRANGEBYSCORE of members older than
// timeout_ms; returns the live members (me included).
std::vector<std::string> heartbeat(Connection& conn, const ServerConfig& cfg);

}  // namespace nebula::redis
