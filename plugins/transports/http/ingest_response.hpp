// Turns the host's verdict (or a transport-level refusal) into the HTTP
// answer a node sees. Pure functions: no sockets, unit-testable.
#pragma once

#include <cstdint>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport::http {

using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Headers that carry the verdict's counts, so a client need not parse the
// body (whose shape belongs to the host's decoder).
inline constexpr const char* kAcceptedHeader = "X-Nebula-Accepted";
inline constexpr const char* kRejectedHeader = "X-Nebula-Rejected";
inline constexpr const char* kLastSeqHeader = "X-Nebula-Last-Seq";

// verdict.http_status when the host set a plausible one, else by status:
// OK 200, RETRY 503, INVALID 400, IO 503, anything else 500.
unsigned http_status_for(const Verdict& v);

// Retry-After in whole seconds: ceil(ms / 1000), at least 1 (0 would invite
// an immediate hammering retry).
uint32_t retry_after_seconds(uint32_t retry_after_ms);

Response verdict_response(const Verdict& v, unsigned http_version, bool keep_alive);

// {"status":"error","error":message, ...extra}; keep_alive false closes.
Response error_response(unsigned status, const std::string& message, unsigned http_version, bool keep_alive,
                        const nlohmann::json& extra = nlohmann::json::object());

}  // namespace nebula::transport::http
