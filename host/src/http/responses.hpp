// Building responses: the server's own JSON errors, and the conversion of a
// handler's Response into what Beast writes on the wire.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "http/http_server.hpp"

namespace nebula::http::detail {

inline constexpr const char* kServerName = "nebula-pool";

// {"error": message}
Response json_error(int status, const std::string& message);
// 413 {"error":"body too large","limit":N}
Response body_too_large(size_t limit);
// 405 with an Allow header listing `allowed`.
Response method_not_allowed(const std::vector<std::string>& allowed);

// True when the handler asked for "Connection: close" itself.
bool asks_to_close(const Response& response);

// Adds Server, Content-Type, Content-Length and the keep-alive decision.
boost::beast::http::response<boost::beast::http::string_body> to_wire(
    Response response, unsigned http_version, bool keep_alive);

}  // namespace nebula::http::detail
