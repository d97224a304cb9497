// The one door records come in through: every transport hands its raw
// payload here. Decoding and validation happen once, the same way for all
// transports; duplicates (same node_id and seq) are dropped; and "accepted"
// is said only after the records are in the write-ahead log (as durable as
// wal.fsync promises) and queued.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <map>

#include "ingest/record_decoder.hpp"
#include "runtime/runtime.hpp"
#include "runtime/wal_payload.hpp"

namespace nebula::host {

void Runtime::fill_verdict(nebula_verdict* out, nebula_status st, uint32_t http, uint32_t accepted, uint32_t rejected,
                           uint32_t retry_ms, int64_t last_seq, std::string body) {
  auto* owned = new std::string(std::move(body));
  out->struct_size = sizeof(nebula_verdict);
  out->status = st;
  out->accepted = accepted;
  out->rejected = rejected;
  out->retry_after_ms = retry_ms;
  out->http_status = http;
  out->last_seq = last_seq;
  out->body = owned->data();
  out->body_len = owned->size();
  out->private_data = owned;
  out->release = [](nebula_verdict* v) {
    delete static_cast<std::string*>(v->private_data);
    v->private_data = nullptr;
    v->body = nullptr;
    v->body_len = 0;
    v->release = nullptr;
  };
}

namespace {

// What the transport's meta says about a payload: its "origin" (broker
// transports' replay key) and the sender (node_identity.hpp).
struct SubmissionMeta {
  std::string origin;
  Sender sender;
};

SubmissionMeta read_meta(const char* meta) {
  SubmissionMeta out;
  if (!meta || !*meta) return out;
  auto doc = nlohmann::json::parse(meta, nullptr, false);
  if (!doc.is_object()) return out;
  auto text = [&](const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  out.origin = text("origin");
  out.sender.node_id = text("node_id");
  out.sender.peer = text("peer");
  return out;
}

}  // namespace

nebula_status Runtime::submit(Component& c, const char* format, const void* data, size_t len, const char* meta,
                              nebula_verdict* out) {
  auto count_payload = [&](const char* result) {
    metrics_.add("nebula_ingest_payloads_total", {{"component", c.id()}, {"result", result}});
  };
  const uint32_t retry_ms = static_cast<uint32_t>(config_.pool.batch_max_wait.count());
  if (!accepting_) {
    count_payload("unavailable");
    fill_verdict(out, NEBULA_RETRY, 503, 0, 0, retry_ms, -1,
                 R"J({"status":"retry","error":"the pool is not accepting records right now (starting or draining)"})J");
    return NEBULA_RETRY;
  }
  const std::string_view fmt = format ? format : "";
  const std::string_view body(static_cast<const char*>(data), len);
  const SubmissionMeta submission = read_meta(meta);
  DecodeLimits limits;
  limits.reject_empty = config_.ingest.strict;
  DecodeResult decoded;
  if (fmt == NEBULA_FORMAT_NDJSON) {
    decoded = decode_ndjson(body, limits, &submission.sender);
  } else if (fmt == NEBULA_FORMAT_JSON) {
    decoded = decode_json_payload(body, limits, &submission.sender);
  } else {
    count_payload("rejected");
    fill_verdict(out, NEBULA_INVALID, 415, 0, 0, 0, -1,
                 nlohmann::json{{"status", "rejected"}, {"error", "unsupported payload format '" + std::string(fmt) + "'"}}
                     .dump());
    return NEBULA_INVALID;
  }

  note_ingest_warnings(c, decoded);
  const auto rejected = static_cast<uint32_t>(decoded.rejected);
  if (decoded.records.empty()) {
    records_rejected_ += rejected;
    metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "rejected"}}, rejected);
    count_payload("rejected");
    fill_verdict(out, NEBULA_INVALID, 400, 0, rejected, 0, -1, error_body(decoded).dump());
    return NEBULA_INVALID;
  }

  int64_t last_seq = -1;
  int slot = -1;
  {
    std::shared_lock topology(topology_mu_);  // not held below: a reload waits for the dispatcher
    slot = transport_slot(c.id());
  }
  if (slot < 0) {  // a component the pipeline does not list as a transport
    count_payload("rejected");
    fill_verdict(out, NEBULA_INVALID, 500, 0, 0, 0, -1, R"J({"status":"rejected","error":"not a transport of this pipeline"})J");
    return NEBULA_INVALID;
  }
  const auto source = static_cast<uint32_t>(slot);
  // What the log stores, made outside the gate so concurrent payloads do not
  // wait for each other: the sender's own lines where they decode back to
  // the same records, so most records are not encoded again.
  WalLines logged;
  if (wal_) logged = wal_lines(decoded.records, decoded.sources);
  std::vector<PoolItem> items;
  items.reserve(decoded.records.size());
  for (auto& r : decoded.records) {
    if (r.seq) last_seq = std::max(last_seq, *r.seq);
    items.push_back(PoolItem{std::move(r), source});
  }
  const auto total = static_cast<uint32_t>(items.size());
  auto retry = [&](uint32_t http, uint32_t wait_ms, const std::string& why, const char* result) {
    ++payloads_retry_;
    count_payload(result);
    nlohmann::json body{{"status", "retry"}, {"error", why}, {"retry_after_ms", wait_ms}};
    fill_verdict(out, NEBULA_RETRY, http, 0, 0, wait_ms, -1, body.dump());
    return NEBULA_RETRY;
  };

  // A full queue first holds the payload (bounded) until the dispatcher makes
  // room; only then is the sender told to retry. Waiting here, outside the
  // gate, leaves other payloads free to use room as it appears.
  if (!items.empty() && items.size() <= pool_queue_.capacity() && config_.pool.admission_wait.count() > 0 &&
      !pool_queue_.has_room(items.size())) {
    metrics_.add("nebula_ingest_admission_waits_total", {{"component", c.id()}});
    pool_queue_.wait_for_room(items.size(), config_.pool.admission_wait);
  }

  const std::string& origin = submission.origin;
  std::unique_lock gate(gate_mu_);
  const size_t duplicates = drop_duplicates(items, logged.lines);
  if (!items.empty() && !pool_queue_.has_room(items.size()))
    return retry(429, retry_ms, "pool queue is full (capacity " + std::to_string(pool_queue_.capacity()) + ")", "retry");
  if (!items.empty() && limiter_.enabled()) {
    std::map<std::string, uint32_t> per_node;
    for (const auto& item : items) ++per_node[item.record.node_id];
    if (uint32_t wait = limiter_.admit(per_node, std::chrono::steady_clock::now())) {
      ++payloads_limited_;
      metrics_.add("nebula_ingest_limited_total", {{"component", c.id()}});
      return retry(429, wait,
                   "over limits.records_per_second_per_node (" +
                       std::to_string(int64_t(config_.limits.records_per_second_per_node)) + ")",
                   "limited");
    }
  }
  std::string not_durable;
  uint64_t last_lsn = 0;
  if (!items.empty()) {
    bool written = false;
    not_durable = append_and_queue(items, "", written, last_lsn, wal_ ? &logged.lines : nullptr, origin);
    if (!written) {
      gate.unlock();
      ++wal_failures_;
      metrics_.add("nebula_wal_write_failures_total", {});
      spdlog::warn("[{}] payload refused (503): {}", c.id(), not_durable);
      return retry(503, retry_ms, not_durable, "unavailable");
    }
  }
  gate.unlock();
  // Group commit: concurrent payloads share one fdatasync (wal.fsync: batch).
  if (not_durable.empty() && wal_ && last_lsn) not_durable = wal_->sync_to(last_lsn);
  if (!not_durable.empty()) {
    ++wal_failures_;
    metrics_.add("nebula_wal_write_failures_total", {});
    // Logged and queued, but not durable: the sender retries and the retry
    // is recognised as a duplicate, so nothing is counted twice.
    return retry(503, retry_ms, "records logged but not made durable: " + not_durable, "unavailable");
  }

  const auto fresh = static_cast<uint32_t>(items.size());
  records_accepted_ += fresh;
  records_rejected_ += rejected;
  records_duplicate_ += duplicates;
  metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "accepted"}}, fresh);
  if (duplicates) metrics_.add("nebula_ingest_duplicates_total", {{"component", c.id()}}, double(duplicates));
  if (rejected) metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "rejected"}}, rejected);
  count_payload(rejected ? "partial" : "accepted");
  fill_verdict(out, NEBULA_OK, 200, total, rejected, 0, last_seq, accepted_body(decoded, total, duplicates, last_seq));
  return NEBULA_OK;
}

// Counts and logs (rate-limited) what the sender is warned about, and
// watches derived identities for several nodes sharing one.
void Runtime::note_ingest_warnings(Component& c, DecodeResult& decoded) {
  if (decoded.empty_records) {
    metrics_.add("nebula_ingest_empty_records_total", {{"component", c.id()}}, double(decoded.empty_records));
    uint64_t held = 0;
    if (empty_record_log_.allow(held))
      spdlog::warn("[{}] {} record(s) with no known metric from {}{}: {}{}", c.id(), decoded.empty_records,
                   decoded.node_id.empty() ? std::string("a sender") : decoded.node_id,
                   config_.ingest.strict ? " rejected (ingest.strict)" : " accepted", decoded.first_empty_reason,
                   held ? " (" + std::to_string(held) + " similar lines held back)" : "");
  }
  if (decoded.identity != IdentitySource::Derived) return;
  metrics_.add("nebula_ingest_derived_identity_total", {{"component", c.id()}}, double(decoded.records.size()));
  for (const auto& r : decoded.records) {
    if (auto clash = identity_watch_.observe(r.node_id, r.transaction_count)) {
      metrics_.add("nebula_ingest_identity_conflicts_total", {{"component", c.id()}});
      uint64_t held = 0;
      if (identity_log_.allow(held)) spdlog::warn("[{}] {}", c.id(), *clash);
      decoded.warnings.push_back(RecordWarning{0, std::move(*clash)});
    }
  }
}

// Removes records whose (node_id, seq) was already accepted or repeats within
// this payload (and their log lines); they count as accepted for the sender.
// Keeps the order; moves nothing when nothing repeats (the usual payload).
// Under gate_mu_.
size_t Runtime::drop_duplicates(std::vector<PoolItem>& items, std::vector<std::string_view>& lines) {
  std::vector<wal::SeqKey> keys;  // views into items: used up before any item moves
  keys.reserve(items.size());
  for (const auto& item : items) keys.push_back({item.record.node_id, item.record.seq});
  const std::vector<bool> keep = dedup_.fresh(keys);
  size_t kept = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!keep[i]) continue;
    if (kept != i) {
      items[kept] = std::move(items[i]);
      if (i < lines.size()) lines[kept] = lines[i];
    }
    ++kept;
  }
  const size_t dropped = items.size() - kept;
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(kept), items.end());
  if (lines.size() > kept) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(kept), lines.end());
  return dropped;
}

}  // namespace nebula::host
