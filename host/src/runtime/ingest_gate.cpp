// The one door records come in through: every transport hands its raw
// payload here. Decoding and validation happen once, the same way for all
// transports, and "accepted" is said only after the records are queued.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "ingest/record_decoder.hpp"
#include "runtime/runtime.hpp"

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

nebula_status Runtime::submit(Component& c, const char* format, const void* data, size_t len, const char* /*meta*/,
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
  DecodeResult decoded;
  if (fmt == NEBULA_FORMAT_NDJSON) {
    decoded = decode_ndjson(body);
  } else if (fmt == NEBULA_FORMAT_JSON) {
    decoded = decode_json_payload(body);
  } else {
    count_payload("rejected");
    fill_verdict(out, NEBULA_INVALID, 415, 0, 0, 0, -1,
                 nlohmann::json{{"status", "rejected"}, {"error", "unsupported payload format '" + std::string(fmt) + "'"}}
                     .dump());
    return NEBULA_INVALID;
  }

  nlohmann::json answer = error_body(decoded);
  const auto rejected = static_cast<uint32_t>(decoded.rejected);
  if (decoded.records.empty()) {
    records_rejected_ += rejected;
    metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "rejected"}}, rejected);
    count_payload("rejected");
    fill_verdict(out, NEBULA_INVALID, 400, 0, rejected, 0, -1, answer.dump());
    return NEBULA_INVALID;
  }

  int64_t last_seq = -1;
  const auto source = static_cast<uint32_t>(std::find(transports_.begin(), transports_.end(), &c) - transports_.begin());
  std::vector<PoolItem> items;
  items.reserve(decoded.records.size());
  for (auto& r : decoded.records) {
    if (r.seq) last_seq = std::max(last_seq, *r.seq);
    items.push_back(PoolItem{std::move(r), source});
  }
  const auto accepted = static_cast<uint32_t>(items.size());
  // All or nothing: a payload is never half-queued, so a retry cannot duplicate.
  if (!pool_queue_.try_push_all(items)) {
    ++payloads_retry_;
    count_payload("retry");
    fill_verdict(out, NEBULA_RETRY, 429, 0, 0, retry_ms, -1,
                 nlohmann::json{{"status", "retry"},
                                {"error", "pool queue is full"},
                                {"queue_capacity", pool_queue_.capacity()},
                                {"retry_after_ms", retry_ms}}
                     .dump());
    return NEBULA_RETRY;
  }
  records_accepted_ += accepted;
  records_rejected_ += rejected;
  metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "accepted"}}, accepted);
  if (rejected) metrics_.add("nebula_ingest_records_total", {{"component", c.id()}, {"result", "rejected"}}, rejected);
  count_payload(rejected ? "partial" : "accepted");
  answer["status"] = rejected ? "partial" : "accepted";
  answer["accepted"] = accepted;
  answer["last_seq"] = last_seq;
  fill_verdict(out, NEBULA_OK, 200, accepted, rejected, 0, last_seq, answer.dump());
  return NEBULA_OK;
}

}  // namespace nebula::host
