#include "redis_server_processor.hpp"

#include <algorithm>
#include <iterator>

#include <nlohmann/json.hpp>

#include "redis_scripts.hpp"
#include "redis_server_wait.hpp"
#include "stream_entry.hpp"

namespace nebula::redis {
namespace {

// nebula_status values are stable (nebula_plugin.h): index = value.
std::string status_name(nebula_status s) {
  static constexpr const char* kNames[] = {"OK", "RETRY", "INVALID", "IO", "INTERNAL", "UNSUPPORTED", "NOT_FOUND"};
  const auto i = static_cast<size_t>(s);
  return i < std::size(kNames) ? kNames[i] : "status " + std::to_string(i);
}

// The host's own words when it gave any (its verdict body), else the status.
std::string reason_of(const Verdict& v) {
  if (!v.body().empty()) return std::string(v.body());
  return "host answered " + status_name(v.status());
}

// RETRY and IO are back-pressure (queue full, log full): wait as the host
// asks, at least 50 ms so a host without a hint is not hammered.
constexpr std::chrono::milliseconds kMinRetry{50};
// Other failures (INTERNAL, ...) are bugs, not back-pressure.
constexpr std::chrono::milliseconds kFailureRetry{1000};

}  // namespace

EntryProcessor::EntryProcessor(Host host, const ServerConfig& cfg, Connection& conn)
    : host_(std::move(host)), cfg_(cfg), conn_(conn) {}

std::string EntryProcessor::meta(const StreamEntry& entry) const {
  // The origin names the entry, so the host can ask confirm_replay about it
  // when it replays its log after a crash.
  return nlohmann::json{{"transport", "redis"}, {"peer", cfg_.endpoint.text()}, {"origin", entry.origin()}}.dump();
}

Outcome EntryProcessor::process(const StreamEntry& entry, std::stop_token stop) {
  const std::string format = entry.format.empty() ? NEBULA_FORMAT_NDJSON : entry.format;
  if (!entry.has_data)
    return dead_letter_and_ack(
        entry, format,
        "stream entry " + entry.origin() + " has no field '" + std::string(redis::entry::data_field) + "'");
  // A payload that keeps coming back (it crashed or stalled its consumers)
  // must not block its shard forever.
  if (entry.deliveries > static_cast<int64_t>(cfg_.max_deliveries))
    return dead_letter_and_ack(entry, format,
                               "delivered " + std::to_string(entry.deliveries) + " times (max_deliveries " +
                                   std::to_string(cfg_.max_deliveries) + ")");
  for (uint32_t failures = 0;;) {
    // Right before submitting: while earlier entries were processed, another
    // consumer may have claimed this one; then it is theirs to submit.
    const Lease held = lease(conn_, cfg_, entry);
    if (held != Lease::kMine) {
      host_.count("entries_skipped");
      host_.debug("redis: " + entry.origin() +
                  (held == Lease::kTaken ? " was claimed by another consumer" : " is settled"));
      return Outcome::kSkipped;
    }
    Verdict verdict;
    host_.submit(format, entry.data, meta(entry), verdict);
    std::chrono::milliseconds wait = kFailureRetry;
    switch (verdict.status()) {
      case NEBULA_OK:
        // Some records refused: the accepted ones are logged; the payload
        // goes to the dead-letter file for the refused ones.
        if (verdict.rejected() > 0) return dead_letter_and_ack(entry, format, reason_of(verdict));
        ack_or_owe(entry);
        return Outcome::kAcked;
      case NEBULA_INVALID:
        return dead_letter_and_ack(entry, format, reason_of(verdict));
      case NEBULA_RETRY:
      case NEBULA_IO:
        host_.count("submit_retries");
        wait = std::max(kMinRetry, std::chrono::milliseconds(verdict.retry_after_ms()));
        break;
      default:
        host_.count("submit_failures");
        if (++failures >= cfg_.max_deliveries)
          return dead_letter_and_ack(entry, format, reason_of(verdict) + " (" + std::to_string(failures) + " times)");
        host_.warn("redis: submitting " + entry.origin() + " failed: " + reason_of(verdict));
        break;
    }
    if (!pause_for(stop, wait)) return Outcome::kStopped;
  }
}

Outcome EntryProcessor::dead_letter_and_ack(const StreamEntry& entry, const std::string& format,
                                            const std::string& reason) {
  try {
    host_.dead_letter(format, entry.data, reason);
  } catch (const std::exception& e) {
    // Not written: the entry stays pending and comes back (claimed again
    // after claim_idle_ms), rather than being acknowledged into nowhere.
    host_.count("dead_letter_failures");
    host_.error("redis: could not dead-letter " + entry.origin() + " (" + reason + "): " + e.what() + "; left pending");
    return Outcome::kKept;
  }
  host_.count("entries_dead_lettered");
  host_.warn("redis: " + entry.origin() + " dead-lettered: " + reason);
  ack_or_owe(entry);
  return Outcome::kAcked;
}

void EntryProcessor::ack_or_owe(const StreamEntry& entry) {
  owed_.push_back({entry.key, entry.id});
  settle_owed();
}

void EntryProcessor::settle_owed() {
  while (!owed_.empty()) {
    acknowledge(conn_, cfg_, owed_.front().key, owed_.front().id);  // throws: stays owed
    owed_.erase(owed_.begin());
    host_.count("entries_acked");
  }
}

}  // namespace nebula::redis
