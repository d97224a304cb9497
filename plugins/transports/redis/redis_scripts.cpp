#include "redis_scripts.hpp"

namespace nebula::redis {
namespace {

// How long "taken from C" is remembered. C needs it only when it replays
// its log after a crash, so a week covers any sane outage; a host that comes
// back later may process such an entry twice (never lose it).
constexpr const char* kTakenRetentionMs = "604800000";

// KEYS[1] stream. ARGV: group, me, min_idle_ms, start, count, only_owner,
// taken key prefix, taken retention ms. Returns {{id, fields, deliveries,
// previous owner}...}, {trimmed ids...}, last listed id.
// Script time is frozen in Redis 7, so XCLAIM's min-idle test sees what
// XPENDING saw: a listed id that XCLAIM does not return was trimmed from the
// stream (Redis 7 drops it from the pending list).
// taken:<C> is a sorted set (score: claim time) so each member expires on
// its own; an entry claimed by me is mine again, so it leaves taken:<me>.
const Script& claim_script() {
  static const Script s(R"lua(
local key, group, me = KEYS[1], ARGV[1], ARGV[2]
local pending
if ARGV[6] == '' then
  pending = redis.call('XPENDING', key, group, 'IDLE', ARGV[3], ARGV[4], '+', ARGV[5])
else
  pending = redis.call('XPENDING', key, group, 'IDLE', ARGV[3], ARGV[4], '+', ARGV[5], ARGV[6])
end
if #pending == 0 then return {{}, {}, ''} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ids, before = {}, {}
for i, p in ipairs(pending) do
  ids[i] = p[1]
  before[p[1]] = {p[2], p[4]}
end
local claimed = redis.call('XCLAIM', key, group, me, ARGV[3], unpack(ids))
local out, seen, touched = {}, {}, {}
for _, e in ipairs(claimed) do
  local id = e[1]
  if e[2] then
    seen[id] = true
    local owner, count = before[id][1], before[id][2]
    local origin = key .. ' ' .. id
    if owner ~= me then
      redis.call('ZADD', ARGV[7] .. owner, now, origin)
      touched[ARGV[7] .. owner] = true
    end
    redis.call('ZREM', ARGV[7] .. me, origin)
    out[#out + 1] = {id, e[2], count + 1, owner}
  end
end
for taken in pairs(touched) do
  redis.call('ZREMRANGEBYSCORE', taken, '-inf', '(' .. string.format('%d', now - tonumber(ARGV[8])))
  redis.call('PEXPIRE', taken, ARGV[8])
end
local lost = {}
for _, id in ipairs(ids) do
  if not seen[id] then lost[#lost + 1] = id end
end
return {out, lost, ids[#ids]}
)lua");
  return s;
}

// KEYS[1] stream, KEYS[2] taken:<me>. ARGV: group, id. Whoever holds the
// entry: a copy in this host's log must not be processed by another host
// too (a consumer that claimed it meanwhile finds it settled when it leases
// it). And it is mine after all: were it still in taken:<me>, replaying my
// log would drop it although no one else processes it.
const Script& ack_script() {
  static const Script s(R"lua(
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREM', KEYS[2], KEYS[1] .. ' ' .. ARGV[2])
return 1
)lua");
  return s;
}

// KEYS[1] stream. ARGV: group, me, id. Returns {1 mine | 0 settled | -1 taken, owner}.
// XCLAIM ... JUSTID resets the idle time without counting a delivery.
const Script& lease_script() {
  static const Script s(R"lua(
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 then return {0, ''} end
if p[1][2] ~= ARGV[2] then return {-1, p[1][2]} end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
return {1, ARGV[2]}
)lua");
  return s;
}

// KEYS[1] stream, KEYS[2] taken:<me>. ARGV: group, me, id.
// taken:<me> is only read: a host that asks again (its first answer lost
// with the connection, or it crashed again before processing) gets the same
// answer. Its members expire on their own (claim script).
const Script& confirm_script() {
  static const Script s(R"lua(
if redis.call('ZSCORE', KEYS[2], KEYS[1] .. ' ' .. ARGV[3]) then return 'taken' end
local p = redis.pcall('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if p.err or #p == 0 then return 'settled' end
if p[1][2] ~= ARGV[2] then return 'other' end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
return 'acked'
)lua");
  return s;
}

// KEYS[1] stream. The minimum over every group (not only ours: another group
// on the same stream must not lose entries it has not read).
const Script& trim_script() {
  static const Script s(R"lua(
local function older(a, b)
  local am, as = a:match('^(%d+)-(%d+)$')
  local bm, bs = b:match('^(%d+)-(%d+)$')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local groups = redis.pcall('XINFO', 'GROUPS', KEYS[1])
if groups.err or #groups == 0 then return 0 end
local minid
for _, g in ipairs(groups) do
  local name, pending, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1]
    elseif g[i] == 'pending' then pending = g[i + 1]
    elseif g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  local need = last
  if pending > 0 then need = redis.call('XPENDING', KEYS[1], name)[2] end
  if not minid or older(need, minid) then minid = need end
end
return redis.call('XTRIM', KEYS[1], 'MINID', minid)
)lua");
  return s;
}

// KEYS[1] members. ARGV: me, timeout_ms. Redis's clock, so hosts with
// skewed clocks still agree on who is live.
const Script& heartbeat_script() {
  static const Script s(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. string.format('%d', now - tonumber(ARGV[2])))
return redis.call('ZRANGE', KEYS[1], 0, -1)
)lua");
  return s;
}

}  // namespace

ClaimResult claim(Connection& conn, const ServerConfig& cfg, const ClaimRequest& request) {
  const Reply reply =
      conn.eval(claim_script(), {request.key},
                {cfg.group, cfg.consumer, std::to_string(request.min_idle_ms), request.start,
                 std::to_string(request.count), request.only_owner, cfg.taken_key(""), kTakenRetentionMs});
  checked(reply, "claim script on " + request.key);
  ClaimResult out;
  const Reply claimed = reply.at(0);
  for (size_t i = 0; i < claimed.size(); ++i) {
    const Reply item = claimed.at(i);
    StreamEntry e = parse_entry(request.key, item);
    e.deliveries = item.at(2).integer();
    e.previous_owner = std::string(item.at(3).str());
    out.entries.push_back(std::move(e));
  }
  const Reply lost = reply.at(1);
  for (size_t i = 0; i < lost.size(); ++i) out.lost.emplace_back(lost.at(i).str());
  out.last_listed = std::string(reply.at(2).str());
  return out;
}

void acknowledge(Connection& conn, const ServerConfig& cfg, const std::string& key, const std::string& id) {
  checked(conn.eval(ack_script(), {key, cfg.taken_key(cfg.consumer)}, {cfg.group, id}),
          "ack script on " + key + " " + id);
}

Lease lease(Connection& conn, const ServerConfig& cfg, const StreamEntry& entry) {
  const Reply reply = conn.eval(lease_script(), {entry.key}, {cfg.group, cfg.consumer, entry.id});
  checked(reply, "lease script on " + entry.origin());
  const long long code = reply.at(0).integer();
  return code > 0 ? Lease::kMine : code < 0 ? Lease::kTaken : Lease::kSettled;
}

Confirm confirm(Connection& conn, const ServerConfig& cfg, const std::string& key, const std::string& id) {
  const Reply reply = conn.eval(confirm_script(), {key, cfg.taken_key(cfg.consumer)}, {cfg.group, cfg.consumer, id});
  checked(reply, "confirm script on " + key + " " + id);
  const auto answer = reply.str();
  if (answer == "taken") return Confirm::kTaken;
  if (answer == "acked") return Confirm::kAcked;
  if (answer == "other") return Confirm::kOtherOwner;
  return Confirm::kSettled;
}

long long trim(Connection& conn, const std::string& key) {
  const Reply reply = conn.eval(trim_script(), {key}, {});
  checked(reply, "trim script on " + key);
  return reply.integer();
}

std::vector<std::string> heartbeat(Connection& conn, const ServerConfig& cfg) {
  const Reply reply =
      conn.eval(heartbeat_script(), {cfg.members_key()}, {cfg.consumer, std::to_string(cfg.member_timeout_ms)});
  checked(reply, "heartbeat script");
  std::vector<std::string> members;
  for (size_t i = 0; i < reply.size(); ++i) members.emplace_back(reply.at(i).str());
  return members;
}

}  // namespace nebula::redis
