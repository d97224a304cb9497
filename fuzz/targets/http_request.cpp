// The HTTP ingest transport's request path (plugins/transports/http/)
// without sockets: the bytes of one connection go through Beast's request
// parser as IngestSession reads them (header first, then body, keep-alive to
// the next request), through check_request_header (404/405/401/415/413 and
// the token store), submission_meta, the owner check of an authenticated
// sender (foreign_node_in_document → 403) and a stub host, to the answer.
// Checks: meta_json is JSON; an authenticated node gets no record of another
// node past the owner check (stub host); every answer serializes to HTTP a
// client parses back with the same status and a JSON body.
//
// Input: byte 0 picks the setup (bit 0 tokens_file on, bits 1-2 pool state,
// bit 3 a 64-byte body_limit); the rest is what the peer sends.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "fuzz_support.hpp"
#include "fuzz_tokens.hpp"
#include "record_owner.hpp"
#include "request_check.hpp"

namespace {

namespace bhttp = boost::beast::http;
using boost::beast::error_code;
using namespace nebula::transport::http;

constexpr int kMaxRequestsPerConnection = 8;

// Feeds `in` to the parser until it has what the current phase needs (the
// header while not eager, else the whole message). Everything has arrived,
// so a parser still wanting more sees the peer close. Returns bytes used.
size_t feed(RequestParser& parser, std::string_view in, error_code& ec) {
  auto finished = [&] { return parser.is_done() || (parser.is_header_done() && !parser.eager()); };
  size_t used = 0;
  while (!finished()) {
    const size_t n = parser.put(boost::asio::buffer(in.data() + used, in.size() - used), ec);
    used += n;
    if (ec == bhttp::error::need_more) ec = {};
    if (ec) break;
    if (!finished() && (n == 0 || used == in.size())) {
      parser.put_eof(ec);
      break;
    }
  }
  return used;
}

// The answer must be HTTP a client reads back unchanged, with a JSON body.
void check_response(Response& res) {
  std::ostringstream wire;
  wire << res;
  const std::string text = wire.str();
  bhttp::response_parser<bhttp::string_body> client;
  client.eager(true);
  client.body_limit(64 << 20);
  error_code ec;
  client.put(boost::asio::buffer(text), ec);
  if (!ec && !client.is_done()) client.put_eof(ec);
  FUZZ_CHECK(!ec && client.is_done(), "answer does not parse: " + ec.message() + "\n" + text);
  FUZZ_CHECK(client.get().result_int() == res.result_int(), text);
  FUZZ_CHECK(client.get().body() == res.body(), text);
  FUZZ_CHECK(nlohmann::json::accept(res.body()), "answer body is not JSON:\n" + text);
}

// One request from `in`; returns bytes used, 0 when the connection ends.
size_t serve_one(IngestContext& ctx, std::string_view in) {
  RequestParser parser;
  parser.body_limit(ctx.config.body_limit);
  parser.eager(false);  // as async_read_header: stop after the header
  error_code ec;
  size_t used = feed(parser, in, ec);

  std::string node_id, token;
  std::optional<Response> res;
  bool close = true;
  if (ec == bhttp::error::body_limit) {
    res = check_request_header(parser, ctx, node_id, token);
    if (!res) res = body_too_large(ctx.config.body_limit, parser.get().version());
  } else if (ec == bhttp::error::header_limit) {
    res = error_response(431, "request header too large", 11, false);
  } else if (ec) {
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return 0;
    res = error_response(400, "malformed HTTP request: " + ec.message(), 11, false);
  } else if (!(res = check_request_header(parser, ctx, node_id, token))) {
    parser.eager(true);  // as async_read: the whole body
    used += feed(parser, in.substr(used), ec);
    if (ec == bhttp::error::body_limit) {
      res = body_too_large(ctx.config.body_limit, parser.get().version());
    } else if (ec) {
      return 0;  // the peer went away mid-body: nothing is submitted
    } else {  // IngestSession::submit and answer
      auto req = parser.release();
      close = !req.keep_alive();
      auto& stub = nebula::fuzz::stub_state();
      stub.owner = ctx.tokens ? node_id : "";
      if (auto problem = ctx.tokens ? nebula::transport::foreign_node_in_document(req.body(), node_id) : std::nullopt) {
        res = error_response(problem->unreadable ? 400 : 403, problem->reason, req.version(), req.keep_alive());
      } else {
        nebula::Verdict verdict;
        ctx.host.submit(NEBULA_FORMAT_JSON, req.body(), submission_meta("127.0.0.1:1", node_id, token), verdict);
        res = verdict_response(verdict, req.version(), req.keep_alive());
      }
    }
  }
  check_response(*res);
  return close ? 0 : used;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t setup = data[0];
  IngestContext ctx;
  ctx.host = nebula::fuzz::stub_host();
  if (setup & 1) ctx.tokens = nebula::fuzz::fuzz_tokens();
  nebula::fuzz::stub_state().pool = static_cast<nebula::fuzz::PoolState>((setup >> 1) % 3);
  if (setup & 8) ctx.config.body_limit = 64;

  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int i = 0; i < kMaxRequestsPerConnection && !in.empty(); ++i) {
    const size_t used = serve_one(ctx, in);
    if (used == 0) break;
    in.remove_prefix(used);
  }
  return 0;
}
