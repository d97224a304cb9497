#include "tcp_wire.hpp"

#include <cstring>
#include <utility>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace nebula::transport::tcp {
namespace {

// Cheap pre-filter so record lines are (almost) never parsed: a control
// line must contain the key "nebula". Every record line goes through it, so
// it looks at 16 starting positions at once: those whose second byte is 'n'
// and seventh 'a' are compared whole (string_view::find stopped at every
// '"' of a record, a dozen per 100 bytes; memmem was still 2.5 % of the
// queue-only pool's CPU).
bool may_be_control(std::string_view line) {
  static constexpr std::string_view kKey = "\"nebula\"";
  const char* p = line.data();
  const size_t n = line.size();
  size_t start = 0;
#ifdef __SSE2__
  const __m128i second = _mm_set1_epi8('n'), seventh = _mm_set1_epi8('a');
  for (; start + 16 + kKey.size() - 1 <= n; start += 16) {  // the last start examined ends at start + 22
    const __m128i at_second = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + start + 1));
    const __m128i at_seventh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + start + 6));
    auto candidates = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(at_second, second), _mm_cmpeq_epi8(at_seventh, seventh))));
    for (; candidates; candidates &= candidates - 1)
      if (std::memcmp(p + start + __builtin_ctz(candidates), kKey.data(), kKey.size()) == 0) return true;
  }
#endif
  return line.substr(start).find(kKey) != std::string_view::npos;
}

// The host's answer body, read once: its reasons for the sender (`errors`,
// else `error`, else the body text) and, passed on as they are, its
// `warnings` and the `identity` it gave the records.
void read_body(std::string_view body, Ack& a) {
  a.errors = nlohmann::json::array();
  if (body.empty()) return;
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) {
    a.errors.push_back(std::string(body));
  } else if (doc.is_array()) {
    a.errors = std::move(doc);
  } else if (doc.is_object()) {
    if (auto it = doc.find("errors"); it != doc.end() && it->is_array()) a.errors = *it;
    else if (auto e = doc.find("error"); e != doc.end()) a.errors.push_back(*e);
    if (auto it = doc.find("warnings"); it != doc.end() && it->is_array()) a.warnings = *it;
    if (auto it = doc.find("identity"); it != doc.end() && it->is_object()) a.identity = *it;
  }
}

// A number field of an ack: `fallback` when absent, else an integer that
// fits T. json::value() converted 1e30 to unsigned (undefined behaviour,
// caught by fuzz/targets/tcp_framing.cpp) and wrapped -1 around.
template <class T>
T ack_integer(const nlohmann::json& doc, const char* key, T fallback) {
  const auto it = doc.find(key);
  if (it == doc.end()) return fallback;
  if (it->is_number_unsigned()) {
    if (const auto u = it->get<uint64_t>(); std::in_range<T>(u)) return static_cast<T>(u);
  } else if (it->is_number_integer()) {
    if (const auto i = it->get<int64_t>(); std::in_range<T>(i)) return static_cast<T>(i);
  }
  throw Error(NEBULA_INVALID, std::string("ack field '") + key + "' is not an integer in range");
}

}  // namespace

std::optional<ControlLine> parse_control_line(std::string_view line) {
  if (!may_be_control(line)) return std::nullopt;
  auto doc = nlohmann::json::parse(line, nullptr, false);
  if (!doc.is_object() || !doc.contains("nebula")) return std::nullopt;  // a record that mentions "nebula"
  ControlLine c;
  if (doc["nebula"] == "auth") {
    c.is_auth = true;
    const auto node = doc.value("node_id", nlohmann::json());
    const auto token = doc.value("token", nlohmann::json());
    if (!node.is_string() || !token.is_string()) {
      c.problem = "auth line needs string node_id and token";
    } else {
      c.node_id = node.get<std::string>();
      c.token = token.get<std::string>();
    }
    return c;
  }
  if (doc["nebula"] != "commit") {
    c.problem = "unknown control line " + doc["nebula"].dump() + " (\"commit\" and \"auth\" are defined)";
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

std::string auth_line(const std::string& node_id, const std::string& token) {
  return nlohmann::json{{"nebula", "auth"}, {"node_id", node_id}, {"token", token}}.dump();
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
  read_body(v.body(), a);
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
  nlohmann::json line{{"batch", a.batch},       {"status", to_string(a.status)}, {"accepted", a.accepted},
                      {"rejected", a.rejected}, {"last_seq", a.last_seq},        {"retry_after_ms", a.retry_after_ms},
                      {"errors", a.errors}};
  if (!a.warnings.empty()) line["warnings"] = a.warnings;
  if (a.identity.is_object()) line["identity"] = a.identity;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  a.accepted = ack_integer(doc, "accepted", 0u);
  a.rejected = ack_integer(doc, "rejected", 0u);
  a.last_seq = ack_integer(doc, "last_seq", int64_t{-1});
  a.retry_after_ms = ack_integer(doc, "retry_after_ms", 0u);
  if (doc.contains("errors") && doc["errors"].is_array()) a.errors = doc["errors"];
  if (doc.contains("warnings") && doc["warnings"].is_array()) a.warnings = doc["warnings"];
  if (doc.contains("identity") && doc["identity"].is_object()) a.identity = doc["identity"];
  return a;
}

}  // namespace nebula::transport::tcp
