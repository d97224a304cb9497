// Client side: appends a batch's shard entries in ONE Lua script, so a batch
// is either in every target stream or in none. A stream at max_length blocks
// the whole batch (back-pressure) instead of being trimmed: trimming would
// drop entries the pool has not consumed yet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "batch_shards.hpp"
#include "redis_connection.hpp"

namespace nebula::redis {

const Script& append_script();

struct AppendCall {
  std::vector<std::string> keys;  // one stream per shard that has records
  std::vector<std::string> args;  // max_length, then records and count for each key
};
AppendCall append_call(const ShardedBatch& batch, const std::string& prefix, uint64_t max_length);

struct AppendOutcome {
  enum class Kind { appended, full, wrong_type, unexpected };
  Kind kind = Kind::unexpected;
  std::string key;       // full, wrong_type: the stream that stopped the batch
  long long length = 0;  // full: its length
  std::string detail;    // wrong_type: the key's type; unexpected: what came back
};
AppendOutcome read_append_reply(const Reply& reply);

}  // namespace nebula::redis
