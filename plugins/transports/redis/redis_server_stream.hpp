// Plain stream commands of the server side and the shape they return: the
// consumer group per shard and reading new entries.
// (Steps that must be atomic are Lua scripts: redis_scripts.hpp.)
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "redis_connection.hpp"
#include "redis_server_config.hpp"

namespace nebula::redis {

// Redis answered with an error where none was expected (NOGROUP after the
// stream was deleted, a script error, ...). The read loop starts over: it
// re-creates the groups and re-reads this consumer's pending entries.
class ReplyError : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

// Throws ReplyError("<what>: <error>") when `reply` is an error.
const Reply& checked(const Reply& reply, const std::string& what);

// One entry of a shard stream as the client wrote it: fields f, d, n.
struct StreamEntry {
  std::string key;             // "<stream>:<shard>"
  std::string id;              // "<ms>-<seq>"
  std::string format;          // field f ("" if missing)
  std::string data;            // field d
  bool has_data = false;       // field d present
  int64_t deliveries = 1;      // Redis's delivery count, this delivery included
  std::string previous_owner;  // claimed entries: the consumer it was taken from

  std::string origin() const { return key + " " + id; }
};

// [id, [field, value, ...]] of stream `key`.
StreamEntry parse_entry(const std::string& key, const Reply& entry);

// XGROUP CREATE <key> <group> 0 MKSTREAM for every shard; BUSYGROUP (it
// exists) is fine. From id 0: entries clients added before any pool ran are read.
void ensure_groups(Connection& conn, const ServerConfig& cfg);

// XREADGROUP ... COUNT read_count BLOCK block_ms STREAMS <keys> > ...: entries
// never delivered to any consumer, grouped by key in stream order. Empty on timeout.
std::vector<StreamEntry> read_new(Connection& conn, const ServerConfig& cfg, const std::vector<std::string>& keys);

}  // namespace nebula::redis
