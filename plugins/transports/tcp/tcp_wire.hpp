// The TCP transport's line protocol (docs/transports.md): record lines,
// a commit line per batch, one ack line per batch, and an auth line naming
// the node (and its token) for the batches that follow. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport::tcp {

// A control line is a JSON object with a top-level "nebula" key (reserved:
// records may not use it). Only lines mentioning "nebula" are parsed at all.
// Returns nullopt for a record line.
struct ControlLine {
  bool is_commit = false;
  nlohmann::json batch;  // the sender's batch id (any JSON scalar; null if absent)
  bool is_auth = false;
  std::string node_id;   // auth: who the sender is
  std::string token;     // auth: its bearer token
  std::string problem;   // set when the control line is malformed or unknown
};
std::optional<ControlLine> parse_control_line(std::string_view line);

std::string commit_line(const nlohmann::json& batch_id);  // without the newline
std::string auth_line(const std::string& node_id, const std::string& token);  // without the newline

enum class AckStatus { accepted, retry, rejected };
const char* to_string(AckStatus s);

struct Ack {
  nlohmann::json batch;  // null for a connection-level error
  AckStatus status = AckStatus::accepted;
  uint32_t accepted = 0;
  uint32_t rejected = 0;
  int64_t last_seq = -1;
  uint32_t retry_after_ms = 0;
  nlohmann::json errors = nlohmann::json::array();
  nlohmann::json warnings = nlohmann::json::array();  // accepted records to look at; written only when any
  nlohmann::json identity;  // {"node_id","source"} when the host gave the records an identity; else null
};

// The host's verdict as an ack; RETRY/IO/INTERNAL become "retry" (never a
// silent drop) with the host's hint or `default_retry_ms`.
Ack ack_from_verdict(const nlohmann::json& batch, const Verdict& v, uint32_t default_retry_ms);
Ack error_ack(const nlohmann::json& batch, const std::string& message);

std::string to_line(const Ack& ack);  // without the newline
// Throws nebula::Error(NEBULA_INVALID) for a line that is not an ack.
Ack parse_ack(std::string_view line);

}  // namespace nebula::transport::tcp
