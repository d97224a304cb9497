#include "http/request_handler.hpp"

#include <cctype>
#include <exception>
#include <nlohmann/json.hpp>

#include "http/responses.hpp"
#include "http/url.hpp"

namespace nebula::http::detail {

namespace bhttp = boost::beast::http;

namespace {

// Beast 1.74 hands out boost::string_view; std::string_view is what we use.
std::string_view std_view(boost::beast::string_view text) { return {text.data(), text.size()}; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Response not_found(const std::string& path) {
  Response r;
  r.status = 404;
  r.body = nlohmann::json{{"error", "not found"}, {"path", path}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response call_handler(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return json_error(500, e.what());
  } catch (...) {
    return json_error(500, "internal error");
  }
}

}  // namespace

Response handle_request(const Router& router, const Guard& guard, bhttp::request<bhttp::string_body>&& message,
                        const std::string& peer) {
  Request request;
  request.method = std::string(std_view(message.method_string()));
  request.target = std::string(std_view(message.target()));
  request.peer = peer;

  const TargetParts parts = split_target(request.target);
  auto segments = decode_path_segments(parts.path);
  auto path = percent_decode(parts.path, false);
  auto query = parse_query(parts.query);
  if (!segments || !path || !query) return json_error(400, "malformed request target");
  request.path = std::move(*path);
  request.query = std::move(*query);

  for (const auto& field : message) {
    auto [it, inserted] = request.headers.try_emplace(lower(std_view(field.name_string())), std_view(field.value()));
    // Repeated headers combine into one comma-separated value (RFC 9110 5.3).
    if (!inserted) it->second.append(", ").append(std_view(field.value()));
  }
  request.body = std::move(message.body());
  if (guard) {
    if (auto refused = guard(request)) return *refused;
  }

  RouteMatch match = router.match(request.method, *segments);
  if (!match.handler) {
    return match.allowed_methods.empty() ? not_found(request.path)
                                         : method_not_allowed(match.allowed_methods);
  }
  request.params = std::move(match.params);
  return call_handler(*match.handler, request);
}

}  // namespace nebula::http::detail
