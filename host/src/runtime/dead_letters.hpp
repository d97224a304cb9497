// Records a processor rejected for good, kept with the reason in
// <state_dir>/dead-letters/pending.ndjson (one JSON object per line:
// time, component, reason, lsn, record) until an operator replays them.
// A transport fed by a broker writes whole payloads it could not submit
// (time, component, reason, format, payload) to the same file.
// A sink writes insights it could not deliver (time, component, reason,
// topic, source, timestamp, insight) there too.
// A replay moves the file aside (replayed-<time>.ndjson) for the audit trail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::host {

struct DeadLetter {
  std::string component;
  std::string reason;
  uint64_t lsn = 0;
  std::string record_json;  // canonical record JSON (record_encoder.hpp)
  // For a transport's payload letter instead of a record: the raw payload.
  std::string format;
  std::string payload;
  // For a sink's insight letter instead: the insight as it was emitted.
  std::string topic;
  std::string insight_source;
  std::string insight_json;
  double insight_timestamp = 0;

  static DeadLetter for_record(std::string component, std::string reason, uint64_t lsn, std::string record_json) {
    DeadLetter l;
    l.component = std::move(component);
    l.reason = std::move(reason);
    l.lsn = lsn;
    l.record_json = std::move(record_json);
    return l;
  }
  static DeadLetter for_payload(std::string component, std::string reason, std::string format, std::string payload) {
    DeadLetter l;
    l.component = std::move(component);
    l.reason = std::move(reason);
    l.format = std::move(format);
    l.payload = std::move(payload);
    return l;
  }
  static DeadLetter for_insight(std::string component, std::string reason, std::string topic, std::string source,
                                std::string json, double timestamp) {
    DeadLetter l;
    l.component = std::move(component);
    l.reason = std::move(reason);
    l.topic = std::move(topic);
    l.insight_source = std::move(source);
    l.insight_json = std::move(json);
    l.insight_timestamp = timestamp;
    return l;
  }
};

class DeadLetterStore {
 public:
  explicit DeadLetterStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Appends and fdatasyncs: a dead letter is as durable as the record was.
  // Throws std::runtime_error on an I/O error.
  void write(const std::vector<DeadLetter>& letters);

  // The pending letters as written; unreadable lines come back as
  // {"damaged": "<line>"} so nothing is hidden. Works without a running host.
  static std::vector<nlohmann::json> read_pending(const std::filesystem::path& dir);
  // Moves the pending file aside and returns its letters (empty when none).
  std::vector<nlohmann::json> take_pending();

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::mutex mu_;
};

inline constexpr const char* kDeadLetterFile = "pending.ndjson";

}  // namespace nebula::host
