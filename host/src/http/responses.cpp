#include "http/responses.hpp"

#include <boost/beast/core/string.hpp>
#include <nlohmann/json.hpp>

namespace nebula::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  // Handler messages may carry arbitrary bytes; replace rather than throw.
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// CR or LF in a header would let handler-supplied text inject headers.
bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

bool headers_are_safe(const Response& response) {
  if (has_line_break(response.content_type)) return false;
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)) return false;
  }
  return true;
}

}  // namespace

Response json_error(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

Response body_too_large(size_t limit) {
  return json_response(413, {{"error", "body too large"}, {"limit", limit}});
}

Response method_not_allowed(const std::vector<std::string>& allowed) {
  Response r = json_response(405, {{"error", "method not allowed"}, {"allow", allowed}});
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  r.headers.emplace_back("Allow", std::move(allow));
  return r;
}

bool asks_to_close(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (beast::iequals(name, "connection") && beast::iequals(value, "close")) return true;
  }
  return false;
}

bhttp::response<bhttp::string_body> to_wire(Response response, unsigned http_version, bool keep_alive) {
  bhttp::response<bhttp::string_body> res;
  res.version(http_version);
  // Beast rejects codes outside 100..999; such a handler result is a server bug.
  if (response.status < 100 || response.status > 999)
    response = json_error(500, "handler returned invalid status " + std::to_string(response.status));
  if (!headers_are_safe(response)) response = json_error(500, "handler returned an invalid header");
  res.result(static_cast<unsigned>(response.status));
  res.set(bhttp::field::server, kServerName);
  if (!response.content_type.empty()) res.set(bhttp::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) res.insert(name, value);
  res.body() = std::move(response.body);
  res.keep_alive(keep_alive && !asks_to_close(response));
  res.prepare_payload();
  return res;
}

}  // namespace nebula::http::detail
