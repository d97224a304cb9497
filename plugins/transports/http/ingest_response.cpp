#include "ingest_response.hpp"

#include <boost/beast/http/field.hpp>

namespace nebula::transport::http {
namespace bhttp = boost::beast::http;

unsigned http_status_for(const Verdict& v) {
  if (v.http_status() >= 100 && v.http_status() <= 599) return v.http_status();
  switch (v.status()) {
    case NEBULA_OK: return 200;
    case NEBULA_RETRY: return 503;
    case NEBULA_INVALID: return 400;
    case NEBULA_IO: return 503;
    default: return 500;
  }
}

uint32_t retry_after_seconds(uint32_t retry_after_ms) {
  uint32_t s = retry_after_ms / 1000 + (retry_after_ms % 1000 ? 1 : 0);
  return s == 0 ? 1 : s;
}

namespace {

const char* status_word(nebula_status s) {
  switch (s) {
    case NEBULA_OK: return "accepted";
    case NEBULA_RETRY:
    case NEBULA_IO: return "retry";
    case NEBULA_INVALID: return "rejected";
    default: return "error";
  }
}

Response json_response(unsigned status, std::string body, unsigned version, bool keep_alive) {
  Response res{static_cast<bhttp::status>(status), version};
  res.set(bhttp::field::server, "nebula-pool");
  res.set(bhttp::field::content_type, "application/json");
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

Response verdict_response(const Verdict& v, unsigned http_version, bool keep_alive) {
  const unsigned status = http_status_for(v);
  std::string body(v.body());
  if (body.empty()) {
    nlohmann::json doc{{"status", status_word(v.status())},
                       {"accepted", v.accepted()},
                       {"rejected", v.rejected()},
                       {"last_seq", v.last_seq()}};
    if (v.status() == NEBULA_RETRY) doc["retry_after_ms"] = v.retry_after_ms();
    body = doc.dump();
  }
  Response res = json_response(status, std::move(body), http_version, keep_alive);
  res.set(kAcceptedHeader, std::to_string(v.accepted()));
  res.set(kRejectedHeader, std::to_string(v.rejected()));
  res.set(kLastSeqHeader, std::to_string(v.last_seq()));
  if (v.status() == NEBULA_RETRY || status == 429 || status == 503)
    res.set(bhttp::field::retry_after, std::to_string(retry_after_seconds(v.retry_after_ms())));
  return res;
}

Response error_response(unsigned status, const std::string& message, unsigned http_version, bool keep_alive,
                        const nlohmann::json& extra) {
  nlohmann::json doc{{"status", "error"}, {"error", message}};
  if (extra.is_object()) doc.update(extra);
  return json_response(status, doc.dump(), http_version, keep_alive);
}

}  // namespace nebula::transport::http
