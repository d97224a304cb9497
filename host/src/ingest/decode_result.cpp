#include "ingest/decode_result.hpp"

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

const char* identity_source_name(IdentitySource source) {
  switch (source) {
    case IdentitySource::Payload: return "payload";
    case IdentitySource::Sender: return "sender";
    case IdentitySource::Derived: return "derived";
  }
  return "payload";
}

}  // namespace nebula::host
