// Records a processor rejects for good: collected while the processor runs
// (reject_record, or a whole batch answered NEBULA_INVALID), written to the
// dead-letter file, and replayed on an operator's request to that processor
// alone, through the write-ahead log like any accepted payload.
#include <spdlog/spdlog.h>

#include <map>
#include <optional>

#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"
#include "runtime/runtime.hpp"

namespace nebula::host {
namespace {

// What the processor running on this thread has rejected so far.
struct RejectScope {
  Component* component = nullptr;
  size_t rows = 0;
  std::vector<std::pair<int64_t, std::string>> rejected;
};
thread_local RejectScope* current_scope = nullptr;

}  // namespace

nebula_status Runtime::process_batch(Component& c, const CycleBatch& batch, char* err, size_t cap) {
  RejectScope scope{&c, batch.rows.size(), {}};
  current_scope = &scope;
  nebula_status st = c.processor()->process_records(c.instance(), batch.batch.schema(), batch.batch.array(), err, cap);
  current_scope = nullptr;
  if (st == NEBULA_INVALID) {  // the whole batch, for good
    scope.rejected.clear();
    for (size_t row = 0; row < batch.rows.size(); ++row) scope.rejected.emplace_back(int64_t(row), err);
  }
  write_dead_letters(c, batch, scope.rejected);
  return st;
}

nebula_status Runtime::reject_record(Component& c, int64_t row, const char* reason) {
  RejectScope* scope = current_scope;
  if (!scope || scope->component != &c || row < 0 || size_t(row) >= scope->rows) return NEBULA_INVALID;
  scope->rejected.emplace_back(row, reason);
  return NEBULA_OK;
}

void Runtime::write_dead_letters(Component& c, const CycleBatch& batch,
                                 const std::vector<std::pair<int64_t, std::string>>& rejected) {
  if (rejected.empty()) return;
  std::vector<DeadLetter> letters;
  for (const auto& [row, reason] : rejected) {
    const PoolItem& item = *batch.rows[size_t(row)];
    letters.push_back(DeadLetter::for_record(c.id(), reason, item.lsn, encode_record_json(item.record)));
  }
  try {
    dead_letters_.write(letters);
    metrics_.add("nebula_dead_letters_total", {{"component", c.id()}}, double(letters.size()));
    spdlog::warn("[{}] {} record(s) rejected for good, kept as dead letters (first reason: {})", c.id(),
                 letters.size(), letters.front().reason);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} dead letter(s) could not be written: {}", c.id(), letters.size(), e.what());
  }
}

// A transport's payload that a broker accepted but that can never be
// submitted: kept whole, so an operator can mend and replay it.
nebula_status Runtime::dead_letter_payload(Component& c, const char* format, const void* data, size_t len,
                                           const char* reason) {
  if (c.kind() != NEBULA_KIND_TRANSPORT) return NEBULA_INVALID;
  DeadLetter letter = DeadLetter::for_payload(c.id(), reason, format && *format ? format : NEBULA_FORMAT_NDJSON,
                                              std::string(static_cast<const char*>(data), len));
  try {
    dead_letters_.write({letter});
  } catch (const std::exception& e) {
    spdlog::error("[{}] payload dead letter could not be written: {}", c.id(), e.what());
    return NEBULA_IO;
  }
  metrics_.add("nebula_dead_letters_total", {{"component", c.id()}});
  spdlog::warn("[{}] payload of {} byte(s) kept as a dead letter: {}", c.id(), len, reason);
  return NEBULA_OK;
}

// Submits a payload letter again as if its transport had just received it.
// Returns the letter to keep (with the new reason), or nothing when the host
// took every record in it.
std::optional<DeadLetter> Runtime::replay_payload_letter(const nlohmann::json& letter, size_t& accepted) {
  accepted = 0;
  DeadLetter kept = DeadLetter::for_payload(letter.value("component", ""), {},
                                            letter.value("format", NEBULA_FORMAT_NDJSON), letter.value("payload", ""));
  Component* transport = live_transport(kept.component);
  if (!transport) {
    kept.reason = "replay failed: transport '" + kept.component + "' is not configured";
    return kept;
  }
  nebula_verdict verdict{};
  verdict.struct_size = sizeof verdict;
  submit(*transport, kept.format.c_str(), kept.payload.data(), kept.payload.size(),
         R"({"transport":"dead-letter replay"})", &verdict);
  const std::string body = verdict.body ? std::string(verdict.body, verdict.body_len) : "";
  const bool whole = verdict.status == NEBULA_OK && verdict.rejected == 0;
  accepted = verdict.status == NEBULA_OK ? verdict.accepted : 0;
  if (verdict.release) verdict.release(&verdict);
  if (whole) return std::nullopt;
  kept.reason = "replay failed: " + body;
  return kept;
}

bool Runtime::replay_insight_letter(const nlohmann::json& letter) {
  const std::string component = letter.value("component", "");
  for (auto& sink : sinks_) {
    if (sink->component().id() != component) continue;
    auto insight = std::make_shared<OwnedInsight>();
    insight->topic = letter.value("topic", "");
    insight->source = letter.value("source", "");
    const nlohmann::json& body = letter["insight"];
    insight->json = body.is_string() ? body.get<std::string>() : body.dump();
    insight->timestamp = letter.value("timestamp", 0.0);
    insight->sequence = ++insight_sequence_;
    sink->offer(insight);  // a full queue dead-letters it again, counted
    return true;
  }
  return false;
}

nlohmann::json Runtime::replay_dead_letters() {
  std::lock_guard lifecycle(lifecycle_mu_);  // processor indices hold still
  nlohmann::json errors = nlohmann::json::array();
  if (!accepting_) return {{"replayed", 0}, {"kept", 0}, {"errors", {"the pool is not accepting records right now"}}};
  std::map<int, std::vector<PoolItem>> by_processor;
  std::vector<DeadLetter> kept;
  size_t replayed = 0;
  for (const auto& letter : dead_letters_.take_pending()) {
    if (letter.contains("insight")) {
      if (replay_insight_letter(letter)) {
        ++replayed;
        continue;
      }
      DeadLetter again = DeadLetter::for_insight(
          letter.value("component", ""), "replay failed: sink '" + letter.value("component", "") + "' is not configured",
          letter.value("topic", ""), letter.value("source", ""),
          letter["insight"].is_string() ? letter["insight"].get<std::string>() : letter["insight"].dump(),
          letter.value("timestamp", 0.0));
      errors.push_back(again.reason);
      kept.push_back(std::move(again));
      continue;
    }
    if (letter.contains("payload")) {
      size_t accepted = 0;
      std::optional<DeadLetter> again = replay_payload_letter(letter, accepted);
      replayed += accepted;
      if (again) {
        errors.push_back(again->reason);
        kept.push_back(std::move(*again));
      }
      continue;
    }
    const std::string component = letter.value("component", "");
    const int target = processor_index(component);
    const std::string record = letter.contains("record") ? letter["record"].dump() : "";
    DecodeResult decoded = decode_ndjson(record);
    if (target < 0 || decoded.records.size() != 1) {
      kept.push_back(DeadLetter::for_record(component, letter.value("reason", ""), letter.value("lsn", uint64_t{0}), record));
      continue;
    }
    by_processor[target].push_back(PoolItem{std::move(decoded.records[0]), kAnySource, 0, target});
  }
  for (auto& [target, items] : by_processor) {
    const std::string id = processors_[size_t(target)]->component->id();
    for (size_t at = 0; at < items.size();) {
      const size_t n = std::min(config_.pool.batch_max_records, items.size() - at);
      std::vector<PoolItem> chunk(std::make_move_iterator(items.begin() + long(at)),
                                  std::make_move_iterator(items.begin() + long(at + n)));
      std::string error = "pool queue stayed full";
      bool written = false;
      uint64_t last_lsn = 0;
      if (pool_queue_.wait_for_room(n, std::chrono::seconds(30))) {
        std::lock_guard gate(gate_mu_);
        if (pool_queue_.has_room(n)) error = append_and_queue(chunk, id, written, last_lsn);
      }
      if (!written) {  // keep what could not be queued, for the next replay
        for (auto& item : chunk)
          kept.push_back(DeadLetter::for_record(id, "replay failed: " + error, 0, encode_record_json(item.record)));
        errors.push_back(error);
      } else {
        replayed += n;
      }
      at += n;
    }
  }
  try {
    dead_letters_.write(kept);
  } catch (const std::exception& e) {
    errors.push_back(e.what());
  }
  metrics_.add("nebula_dead_letters_replayed_total", {}, double(replayed));
  return {{"replayed", replayed}, {"kept", kept.size()}, {"errors", errors}};
}

}  // namespace nebula::host
