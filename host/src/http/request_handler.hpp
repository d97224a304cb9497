// From a parsed request to a Response: target decoding, routing, and turning
// handler exceptions into 500s so one bad handler cannot take the server down.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "http/http_server.hpp"
#include "http/router.hpp"

namespace nebula::http::detail {

// `guard` (when set) sees every request first and may answer it instead.
Response handle_request(const Router& router, const Guard& guard,
                        boost::beast::http::request<boost::beast::http::string_body>&& request,
                        const std::string& peer);

}  // namespace nebula::http::detail
