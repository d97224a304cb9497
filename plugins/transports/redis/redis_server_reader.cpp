#include "redis_server_reader.hpp"

#include <algorithm>

#include "membership.hpp"
#include "redis_server_stream.hpp"
#include "redis_server_wait.hpp"

namespace nebula::redis {
namespace {

// How often idle entries are looked for: often enough that a dead host's
// entries move soon after claim_idle_ms, rarely enough to cost nothing.
std::chrono::milliseconds claim_period(const ServerConfig& cfg) {
  return std::clamp(std::chrono::milliseconds(cfg.claim_idle_ms / 4), std::chrono::milliseconds(10),
                    std::chrono::milliseconds(1000));
}

}  // namespace

Reader::Reader(Host host, const ServerConfig& cfg, ServerStatus& status)
    : host_(std::move(host)), cfg_(cfg), status_(status), conn_(cfg.endpoint), processor_(host_, cfg_, conn_) {
  // XREADGROUP BLOCK holds the socket for block_ms: not a dead server.
  conn_.set_command_timeout(cfg.endpoint.command_timeout + std::chrono::milliseconds(cfg.block_ms));
}

void Reader::start() {
  if (thread_.joinable()) return;
  had_session_ = false;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Reader::stop() {
  if (!thread_.joinable()) return;
  thread_ = {};  // a jthread's move-assignment requests stop and joins
  conn_.close();
  status_.set_owned({});
}

void Reader::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    try {
      session(stop);
    } catch (const ConnectionError& e) {
      status_.down("reader", e.what());
    } catch (const std::exception& e) {
      // An error reply (NOGROUP after the stream was deleted, ...): start
      // over, which re-creates the groups. Never let it end the thread.
      host_.warn(std::string("redis reader: ") + e.what() + "; starting over");
    }
    pause_for(stop, backoff_.next());
  }
}

void Reader::session(std::stop_token stop) {
  conn_.connect();
  ensure_groups(conn_, cfg_);
  processor_.settle_owed();
  if (had_session_) host_.count("reconnects");
  had_session_ = true;
  status_.up("reader");
  backoff_.reset();

  std::vector<size_t> drained;  // owned shards whose own pending entries were taken this session
  while (!stop.stop_requested()) {
    const auto owned = owned_now();
    for (size_t shard : owned)
      if (std::find(drained.begin(), drained.end(), shard) == drained.end() && !take_own_pending(shard, stop)) return;
    drained = owned;
    if (owned.empty()) {
      // Waiting for the first heartbeat, or more hosts than shards.
      pause_for(stop, std::min(std::chrono::milliseconds(cfg_.block_ms), std::chrono::milliseconds(100)));
      continue;
    }
    if (!claim_idle(owned, stop)) return;
    std::vector<std::string> keys;
    for (size_t shard : owned) keys.push_back(cfg_.shard_key(shard));
    if (!process(read_new(conn_, cfg_, keys), stop)) return;
    trim_due(owned);
  }
}

std::vector<size_t> Reader::owned_now() {
  // A view older than member_timeout_ms - heartbeat_ms may be stale: the
  // others could have dropped this host already and own its shards.
  const auto members = status_.fresh_members(std::chrono::milliseconds(cfg_.member_timeout_ms - cfg_.heartbeat_ms));
  auto owned = members ? owned_shards(*members, cfg_.consumer, cfg_.shards) : std::vector<size_t>{};
  status_.set_owned(owned);
  return owned;
}

bool Reader::take_own_pending(size_t shard, std::stop_token stop) {
  ClaimRequest request;
  request.key = cfg_.shard_key(shard);
  request.count = cfg_.read_count;
  request.only_owner = cfg_.consumer;
  return drain(request, stop);
}

bool Reader::claim_idle(const std::vector<size_t>& owned, std::stop_token stop) {
  const auto now = Clock::now();
  if (now < next_claim_) return true;
  next_claim_ = now + claim_period(cfg_);
  for (size_t shard : owned) {
    ClaimRequest request;
    request.key = cfg_.shard_key(shard);
    request.min_idle_ms = cfg_.claim_idle_ms;
    request.count = cfg_.read_count;
    if (!drain(request, stop)) return false;
  }
  return true;
}

// Claims and processes batch after batch until nothing more is listed; the
// cursor moves past every listed id, so an entry left pending is not
// looked at twice in one pass.
bool Reader::drain(ClaimRequest request, std::stop_token stop) {
  for (;;) {
    const ClaimResult claimed = claim(conn_, cfg_, request);
    if (!claimed.lost.empty()) {
      host_.count("entries_lost", static_cast<double>(claimed.lost.size()));
      std::string ids;
      for (const auto& id : claimed.lost) ids += " " + id;
      host_.error("redis: " + std::to_string(claimed.lost.size()) + " pending entries of " + request.key +
                  " were trimmed from the stream before anyone processed them (lost by Redis):" + ids);
    }
    note_claimed(request.key, claimed.entries);
    if (!process(claimed.entries, stop)) return false;
    if (claimed.last_listed.empty()) return true;
    request.start = "(" + claimed.last_listed;
  }
}

void Reader::note_claimed(const std::string& key, const std::vector<StreamEntry>& entries) {
  std::map<std::string, size_t> from;  // previous owner -> entries
  for (const auto& e : entries)
    if (e.previous_owner != cfg_.consumer) ++from[e.previous_owner];
  for (const auto& [owner, n] : from) {
    host_.count("entries_claimed", static_cast<double>(n));
    host_.info("redis: claimed " + std::to_string(n) + " entries of " + key + " from consumer '" + owner +
               "' (idle for " + std::to_string(cfg_.claim_idle_ms) + " ms)");
  }
}

bool Reader::process(const std::vector<StreamEntry>& entries, std::stop_token stop) {
  for (const auto& entry : entries) {
    if (stop.stop_requested()) return false;
    host_.count("entries_read");
    if (processor_.process(entry, stop) == Outcome::kStopped) return false;
  }
  return true;
}

void Reader::trim_due(const std::vector<size_t>& owned) {
  const auto now = Clock::now();
  for (size_t shard : owned) {
    auto& due = next_trim_[shard];
    if (now < due) continue;
    due = now + std::chrono::milliseconds(cfg_.trim_interval_ms);
    if (const long long removed = trim(conn_, cfg_.shard_key(shard)); removed > 0)
      host_.count("entries_trimmed", static_cast<double>(removed));
  }
}

}  // namespace nebula::redis
