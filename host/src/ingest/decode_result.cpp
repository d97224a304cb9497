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
  return body;
}

}  // namespace nebula::host
