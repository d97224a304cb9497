#include "ingest/decode_result.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace nebula::host {

nlohmann::json error_body(const DecodeResult& r) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : r.errors)
    errors.push_back({{"index", e.index}, {"field", e.field}, {"reason", e.reason}});
  const size_t accepted = r.payload_error ? 0 : r.records.size();
  const char* status = accepted == 0 ? "rejected" : r.rejected > 0 ? "partial" : "accepted";
  nlohmann::json body = {{"status", status},
                         {"accepted", accepted},
                         {"rejected", r.rejected},
                         {"errors", std::move(errors)}};
  if (r.errors_omitted > 0) body["errors_omitted"] = r.errors_omitted;
  if (!r.warnings.empty()) {
    nlohmann::json warnings = nlohmann::json::array();
    for (const auto& w : r.warnings) warnings.push_back({{"index", w.index}, {"reason", w.reason}});
    body["warnings"] = std::move(warnings);
  }
  if (r.identity != IdentitySource::Payload && !r.node_id.empty())
    body["identity"] = {{"node_id", r.node_id}, {"source", identity_source_name(r.identity)}};
  return body;
}

namespace {

// The body of an accepted payload with nothing to report but its counts:
// the text json::dump gives for it, written without building the document.
std::string plain_accepted_body(uint32_t accepted, size_t duplicates, int64_t last_seq) {
  std::string out = "{\"accepted\":" + std::to_string(accepted);
  if (duplicates) out += ",\"duplicates\":" + std::to_string(duplicates);
  out += ",\"errors\":[],\"last_seq\":" + std::to_string(last_seq) + ",\"rejected\":0,\"status\":\"accepted\"}";
  return out;
}

}  // namespace

std::string accepted_body(const DecodeResult& decoded, uint32_t accepted, size_t duplicates, int64_t last_seq) {
  if (decoded.errors.empty() && !decoded.errors_omitted && decoded.warnings.empty() && !decoded.rejected &&
      decoded.identity == IdentitySource::Payload)
    return plain_accepted_body(accepted, duplicates, last_seq);
  nlohmann::json answer = error_body(decoded);
  answer["status"] = decoded.rejected ? "partial" : "accepted";
  answer["accepted"] = accepted;
  if (duplicates) answer["duplicates"] = duplicates;
  answer["last_seq"] = last_seq;
  return answer.dump();
}

const char* identity_source_name(IdentitySource source) {
  switch (source) {
    case IdentitySource::Payload: return "payload";
    case IdentitySource::Sender: return "sender";
    case IdentitySource::Derived: return "derived";
  }
  return "payload";
}

}  // namespace nebula::host
