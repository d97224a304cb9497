#include "append_script.hpp"

#include "shard.hpp"
#include "stream_entry.hpp"

namespace nebula::redis {
namespace {

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// KEYS[i]: a shard stream. ARGV[1]: max_length; ARGV[2i], ARGV[2i+1]: the
// records and their count for KEYS[i]. Every key is checked before any XADD:
// a script that fails half-way keeps what it already wrote.
std::string lua_text() {
  return R"lua(
local max_length = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local kind = redis.call('TYPE', key).ok
  if kind ~= 'stream' and kind ~= 'none' then return {'wrongtype', key, kind} end
  local length = redis.call('XLEN', key)
  if length >= max_length then return {'full', key, length} end
end
local ids = {'ok'}
for i, key in ipairs(KEYS) do
  ids[#ids + 1] = redis.call('XADD', key, '*', )lua" +
         quoted(entry::format_field) + ", " + quoted(entry::ndjson_format) + ", " + quoted(entry::data_field) +
         ", ARGV[2 * i], " + quoted(entry::count_field) + R"lua(, ARGV[2 * i + 1])
end
return ids
)lua";
}

}  // namespace

const Script& append_script() {
  static const Script script(lua_text());
  return script;
}

AppendCall append_call(const ShardedBatch& batch, const std::string& prefix, uint64_t max_length) {
  AppendCall call;
  call.args.push_back(std::to_string(max_length));
  for (const auto& shard : batch.shards) {
    call.keys.push_back(stream_key(prefix, shard.shard));
    call.args.push_back(shard.ndjson);
    call.args.push_back(std::to_string(shard.records));
  }
  return call;
}

AppendOutcome read_append_reply(const Reply& reply) {
  AppendOutcome out;
  if (!reply.is_array() || reply.size() == 0 || !reply.at(0).is_string()) {
    out.detail = reply.is_error() ? reply.error() : "not the script's answer";
    return out;
  }
  const std::string_view verdict = reply.at(0).str();
  if (verdict == "ok") {
    out.kind = AppendOutcome::Kind::appended;
  } else if (verdict == "full" && reply.size() == 3) {
    out.kind = AppendOutcome::Kind::full;
    out.key = reply.at(1).str();
    out.length = reply.at(2).integer();
  } else if (verdict == "wrongtype" && reply.size() == 3) {
    out.kind = AppendOutcome::Kind::wrong_type;
    out.key = reply.at(1).str();
    out.detail = reply.at(2).str();
  } else {
    out.detail = "unknown answer '" + std::string(verdict) + "'";
  }
  return out;
}

}  // namespace nebula::redis
