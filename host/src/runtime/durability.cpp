// The runtime's side of "accepted means durable": opening the write-ahead
// log, replaying what was accepted but not processed before new input is
// taken, appending accepted payloads, and committing what the processors
// have finished so the log can shrink.
#include <spdlog/spdlog.h>

#include "nebula/atomic_file.hpp"
#include "runtime/runtime.hpp"
#include "runtime/wal_payload.hpp"

namespace nebula::host {
namespace {

constexpr const char* kDedupSnapshot = "dedup.snapshot";

wal::FsyncPolicy to_policy(WalSettings::Fsync f) {
  switch (f) {
    case WalSettings::Fsync::Always: return wal::FsyncPolicy::Always;
    case WalSettings::Fsync::Interval: return wal::FsyncPolicy::Interval;
    case WalSettings::Fsync::Batch: break;
  }
  return wal::FsyncPolicy::Batch;
}

std::filesystem::path wal_dir(const PipelineConfig& config) {
  return std::filesystem::path(config.state_dir) / "wal";
}

}  // namespace

std::vector<std::string> Runtime::open_wal() {
  if (!config_.wal.enabled) return {};
  wal::WalOptions options{wal_dir(config_), config_.wal.segment_bytes, to_policy(config_.wal.fsync),
                          config_.wal.fsync_interval, config_.wal.max_bytes};
  try {
    wal_ = std::make_unique<wal::WriteAheadLog>(options);
  } catch (const std::exception& e) {
    return {e.what()};
  }
  const wal::RecoveryReport& r = wal_->recovery();
  for (const auto& problem : r.problems) spdlog::warn("write-ahead log: {}", problem);
  metrics_.add("nebula_wal_damaged_regions_total", {}, static_cast<double>(r.damaged_regions));
  metrics_.add("nebula_wal_damaged_bytes_total", {}, static_cast<double>(r.damaged_bytes));
  spdlog::info("write-ahead log {}: {} segment(s), {} record(s) to replay, {} damaged region(s), fsync {}",
               options.dir.string(), r.segments, r.pending_records, r.damaged_regions, wal::to_string(options.fsync));
  try {
    if (auto bytes = read_file(options.dir / kDedupSnapshot); bytes && !dedup_.load(*bytes))
      spdlog::warn("write-ahead log: {} is damaged; duplicates are recognised from the log alone", kDedupSnapshot);
  } catch (const std::exception& e) {
    spdlog::warn("write-ahead log: cannot read {}: {}", kDedupSnapshot, e.what());
  }
  return {};
}

// Runs before the transports start, with the dispatcher already draining,
// so a log larger than the queue replays in order without new input mixed in.
void Runtime::replay_wal() {
  if (!wal_) return;
  const uint64_t watermark = wal_->recovery().watermark;
  wal_->replay([&](uint64_t first, uint32_t count, std::string_view bytes, bool pending) {
    WalPayload payload;
    try {
      payload = decode_wal_payload(bytes);
    } catch (const std::exception& e) {
      metrics_.add("nebula_wal_damaged_regions_total", {});
      spdlog::warn("write-ahead log: frame at lsn {} ({} records) skipped: {}", first, count, e.what());
      return;
    }
    {
      // Not held while pushing: the dispatcher's commit may need the gate
      // to snapshot the index before it deletes a replayed segment.
      std::lock_guard gate(gate_mu_);
      for (const auto& r : payload.records)
        if (r.seq) dedup_.mark(r.node_id, *r.seq, /*replaying=*/true);
    }
    if (!pending) return;
    const int transport = transport_slot(payload.source);
    const uint32_t source = transport < 0 ? kAnySource : uint32_t(transport);
    Component* live = live_transport(payload.source);
    if (!payload.origin.empty() && live && !confirm_replay(*live, payload.origin)) {
      records_replay_dropped_ += payload.records.size();
      spdlog::info("write-ahead log: {} record(s) from {} ({}) skipped: another host has taken them over",
                   payload.records.size(), payload.source, payload.origin);
      return;
    }
    const int target = processor_index(payload.target);
    for (size_t i = 0; i < payload.records.size(); ++i) {
      const uint64_t lsn = first + i;
      if (lsn <= watermark) continue;
      PoolItem item{std::move(payload.records[i]), source, lsn, target};
      while (!pool_queue_.push_for(std::move(item), std::chrono::seconds(1)))
        if (pool_queue_.closed()) return;
      ++pushed_;
      ++records_replayed_;
    }
  });
  if (records_replayed_) spdlog::info("write-ahead log: replayed {} record(s)", records_replayed_.load());
  metrics_.add("nebula_wal_replayed_records_total", {}, static_cast<double>(records_replayed_));
  metrics_.add("nebula_wal_replay_handed_over_records_total", {}, static_cast<double>(records_replay_dropped_));
}

// A transport fed by a shared broker may have seen another host take over a
// payload this host logged but never confirmed to the broker (it crashed in
// between); replaying it too would process it twice. Until the transport can
// tell (broker unreachable), the host waits: guessing either way could lose
// or duplicate records.
bool Runtime::confirm_replay(Component& source, const std::string& origin) {
  const nebula_transport_server_v1* server = source.server();
  if (!server || !NEBULA_TABLE_HAS(nebula_transport_server_v1, server, confirm_replay)) return true;
  auto wait = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    char err[NEBULA_ERROR_CAP] = {0};
    nebula_status st = server->confirm_replay(source.instance(), origin.c_str(), err, sizeof err);
    if (st == NEBULA_NOT_FOUND) return false;
    if (st != NEBULA_RETRY) return true;
    if (draining_) return true;  // shutting down: keep it logged for the next start
    if (attempt == 1 || attempt % 10 == 0)
      spdlog::warn("[{}] cannot confirm logged payload {} yet ({}); replay waits", source.id(), origin, err);
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(5000));
  }
}

std::string Runtime::append_and_queue(std::vector<PoolItem>& items, const std::string& target, bool& written,
                                      uint64_t& last_lsn, const std::vector<std::string_view>* lines,
                                      std::string_view origin) {
  written = false;
  std::string error;
  uint64_t first = next_memory_lsn_;
  if (wal_) {
    const std::string source =
        items.front().source < transport_slots_.size() ? transport_slots_[items.front().source] : "";
    std::string payload;
    if (lines) {
      payload = encode_wal_payload(source, target, *lines, origin);
    } else {
      std::vector<const Record*> records;
      records.reserve(items.size());
      for (const auto& item : items) records.push_back(&item.record);
      payload = encode_wal_payload(source, target, records, origin);
    }
    wal::Appended appended = wal_->append(payload, uint32_t(items.size()));
    if (!appended.written) return appended.error;
    first = appended.lsn;
    error = appended.error;  // written, but (fsync: always) not durable
  } else {
    next_memory_lsn_ += items.size();
  }
  last_lsn = first + items.size() - 1;
  for (size_t i = 0; i < items.size(); ++i) items[i].lsn = first + i;
  // Only a closing queue refuses here (the caller checked for room under the
  // same lock). Logged records are replayed on the next start; others are not.
  // So logged ones are marked seen before the queue takes them (and their
  // node ids need no copy); the others only once it has.
  std::vector<std::pair<std::string, int64_t>> keys;
  for (const auto& item : items) {
    if (!item.record.seq) continue;
    if (wal_) dedup_.mark(item.record.node_id, *item.record.seq);
    else keys.emplace_back(item.record.node_id, *item.record.seq);
  }
  const size_t count = items.size();
  const bool queued = pool_queue_.try_push_all(items);
  if (queued) pushed_ += count;  // a reload's boundary counts it
  if (!queued && !wal_) return "the pool is shutting down";
  written = true;
  for (const auto& [node, seq] : keys) dedup_.mark(node, seq);
  return error;
}

void Runtime::commit_processed(const std::vector<PoolItem>& items) {
  if (!wal_ || items.empty()) return;
  wal_->commit(items.back().lsn, [this] { save_dedup_snapshot(); });
}

// Written before segments are deleted, so the seqs they held stay known.
void Runtime::save_dedup_snapshot() {
  std::string bytes;
  {
    std::lock_guard gate(gate_mu_);
    bytes = dedup_.snapshot();
  }
  try {
    write_file_atomically(wal_dir(config_) / kDedupSnapshot, bytes);
  } catch (const std::exception& e) {
    spdlog::warn("write-ahead log: cannot save {}: {}", kDedupSnapshot, e.what());
  }
}

int Runtime::processor_index(const std::string& id) const {
  if (id.empty()) return -1;
  for (size_t i = 0; i < processors_.size(); ++i)
    if (processors_[i]->component->id() == id) return int(i);
  spdlog::warn("write-ahead log: records meant for processor '{}', which is no longer configured, go to none", id);
  return kNoProcessor;
}

int Runtime::transport_slot(const std::string& id) const {
  for (size_t i = 0; i < transport_slots_.size(); ++i)
    if (transport_slots_[i] == id) return int(i);
  return -1;
}

Component* Runtime::live_transport(const std::string& id) const {
  for (auto* t : transports_)
    if (t->id() == id) return t;
  return nullptr;
}

}  // namespace nebula::host
