// What an ingest request's header decides before any body is read, and the
// meta_json its submission carries. Pure functions over a parsed header (no
// socket), so IngestSession, the tests and fuzz/targets/http_request.cpp
// share one implementation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "ingest_context.hpp"
#include "ingest_response.hpp"

namespace nebula::transport::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// The early answer for a parsed header (404/405/401/415/413, in the order of
// docs/transports.md), or nullopt when the body should be read. Sets
// `node_id` and `token` from the header (or the node_id query parameter).
std::optional<Response> check_request_header(const RequestParser& parser, IngestContext& ctx, std::string& node_id,
                                             std::string& token);

Response body_too_large(uint64_t body_limit, unsigned http_version);

// {"peer":…,"transport":"http"[,"token":…][,"node_id":…]}. Header bytes need
// not be UTF-8; invalid sequences become U+FFFD instead of throwing.
std::string submission_meta(const std::string& peer, const std::string& node_id, const std::string& token);

}  // namespace nebula::transport::http
