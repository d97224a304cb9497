#include "tcp_wire.hpp"

namespace nebula::transport::tcp {
namespace {

// Cheap pre-filter so record lines are (almost) never parsed: a control
// line must contain the key "nebula".
bool may_be_control(std::string_view line) { return line.find("\"nebula\"") != std::string_view::npos; }

// The host's answer body, reduced to a list of reasons for the sender.
nlohmann::json errors_from_body(std::string_view body) {
  if (body.empty()) return nlohmann::json::array();
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return nlohmann::json::array({std::string(body)});
  if (doc.is_array()) return doc;
  if (doc.is_object()) {
    if (doc.contains("errors") && doc["errors"].is_array()) return doc["errors"];
    if (doc.contains("error")) return nlohmann::json::array({doc["error"]});
  }
  return nlohmann::json::array();
}

}  // namespace

std::optional<ControlLine> parse_control_line(std::string_view line) {
  if (!may_be_control(line)) return std::nullopt;
  auto doc = nlohmann::json::parse(line, nullptr, false);
  if (!doc.is_object() || !doc.contains("nebula")) return std::nullopt;  // a record that mentions "nebula"
  ControlLine c;
  if (doc["nebula"] != "commit") {
    c.problem = "unknown control line " + doc["nebula"].dump() + " (only \"commit\" is defined)";
    return c;
  }
  c.is_commit = true;
  c.batch = doc.contains("batch") ? doc["batch"] : nlohmann::json();
  if (c.batch.is_structured()) c.problem = "batch id must be a number or a string";
  return c;
}

std::string commit_line(const nlohmann::json& batch_id) {
  return nlohmann::json{{"nebula", "commit"}, {"batch", batch_id}}.dump();
}

const char* to_string(AckStatus s) {
  switch (s) {
    case AckStatus::accepted: return "accepted";
    case AckStatus::retry: return "retry";
    case AckStatus::rejected: return "rejected";
  }
  return "rejected";
}

Ack ack_from_verdict(const nlohmann::json& batch, const Verdict& v, uint32_t default_retry_ms) {
  Ack a;
  a.batch = batch;
  a.accepted = v.accepted();
  a.rejected = v.rejected();
  a.last_seq = v.last_seq();
  a.errors = errors_from_body(v.body());
  switch (v.status()) {
    case NEBULA_OK: a.status = AckStatus::accepted; break;
    case NEBULA_INVALID: a.status = AckStatus::rejected; break;
    default:
      a.status = AckStatus::retry;
      a.retry_after_ms = v.retry_after_ms() ? v.retry_after_ms() : default_retry_ms;
      break;
  }
  return a;
}

Ack error_ack(const nlohmann::json& batch, const std::string& message) {
  Ack a;
  a.batch = batch;
  a.status = AckStatus::rejected;
  a.errors = nlohmann::json::array({message});
  return a;
}

std::string to_line(const Ack& a) {
  return nlohmann::json{{"batch", a.batch},         {"status", to_string(a.status)},
                        {"accepted", a.accepted},   {"rejected", a.rejected},
                        {"last_seq", a.last_seq},   {"retry_after_ms", a.retry_after_ms},
                        {"errors", a.errors}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Ack parse_ack(std::string_view line) {
  auto doc = nlohmann::json::parse(line, nullptr, false);
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string())
    throw Error(NEBULA_INVALID, "not an ack line: " + std::string(line.substr(0, 120)));
  Ack a;
  a.batch = doc.value("batch", nlohmann::json());
  const std::string status = doc["status"].get<std::string>();
  if (status == "accepted") a.status = AckStatus::accepted;
  else if (status == "retry") a.status = AckStatus::retry;
  else if (status == "rejected") a.status = AckStatus::rejected;
  else throw Error(NEBULA_INVALID, "unknown ack status '" + status + "'");
  a.accepted = doc.value("accepted", 0u);
  a.rejected = doc.value("rejected", 0u);
  a.last_seq = doc.value("last_seq", int64_t{-1});
  a.retry_after_ms = doc.value("retry_after_ms", 0u);
  if (doc.contains("errors") && doc["errors"].is_array()) a.errors = doc["errors"];
  return a;
}

}  // namespace nebula::transport::tcp
