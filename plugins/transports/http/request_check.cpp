#include "request_check.hpp"

#include <nlohmann/json.hpp>

#include "request_facts.hpp"

namespace nebula::transport::http {
namespace bhttp = boost::beast::http;

std::optional<Response> check_request_header(const RequestParser& parser, IngestContext& ctx, std::string& node_id,
                                             std::string& token) {
  const auto& req = parser.get();
  const unsigned v = req.version();
  const std::string_view target(req.target().data(), req.target().size());
  const auto& cfg = ctx.config;

  if (target_path(target) != cfg.path) return error_response(404, "no such endpoint; POST to " + cfg.path, v, false);
  if (req.method() != bhttp::verb::post) {
    auto res = error_response(405, "method not allowed; use POST", v, false);
    res.set(bhttp::field::allow, "POST");
    return res;
  }
  auto node_header = req["X-Nebula-Node"];
  node_id = std::string(node_header.data(), node_header.size());
  if (node_id.empty()) node_id = query_param(target, "node_id").value_or("");
  auto auth = req[bhttp::field::authorization];
  token = bearer_token(std::string_view(auth.data(), auth.size()));
  if (ctx.tokens) {
    const char* why = nullptr;
    switch (ctx.tokens->check(node_id, token)) {
      case TokenStore::Check::ok: break;
      case TokenStore::Check::missing_node: why = "missing node id (X-Nebula-Node header or node_id query parameter)"; break;
      case TokenStore::Check::missing_token: why = "missing bearer token (Authorization: Bearer <token>)"; break;
      case TokenStore::Check::unknown_node:
      case TokenStore::Check::wrong_token: why = "invalid token for this node"; break;
    }
    if (why) {
      ctx.host.count("unauthorized");
      auto res = error_response(401, why, v, false);
      res.set(bhttp::field::www_authenticate, "Bearer");
      return res;
    }
  }
  auto ct = req[bhttp::field::content_type];
  if (!is_json_media_type(std::string_view(ct.data(), ct.size())))
    return error_response(415, "Content-Type must be application/json", v, false);
  // After a body_limit error Beast has not finished the header (content_length()
  // asserts then); the caller answers 413 for that error anyway.
  if (parser.is_header_done())
    if (auto len = parser.content_length(); len && *len > cfg.body_limit) return body_too_large(cfg.body_limit, v);
  return std::nullopt;
}

Response body_too_large(uint64_t body_limit, unsigned http_version) {
  return error_response(413, "body exceeds the limit of " + std::to_string(body_limit) + " bytes", http_version,
                        false, {{"limit", body_limit}});
}

std::string submission_meta(const std::string& peer, const std::string& node_id, const std::string& token) {
  nlohmann::json meta{{"peer", peer}, {"transport", "http"}};
  if (!token.empty()) meta["token"] = token;
  if (!node_id.empty()) meta["node_id"] = node_id;
  // Header bytes need not be UTF-8; a strict dump threw on the I/O thread
  // and std::terminate took the pool down (fuzz/corpus/http_request/regress_meta_invalid_utf8).
  return meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nebula::transport::http
