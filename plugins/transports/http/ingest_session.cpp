#include "ingest_session.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "record_owner.hpp"
#include "request_check.hpp"
#include "tls_config.hpp"

namespace nebula::transport::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;

namespace {

// How long a refused sender may keep sending before we close on it.
constexpr milliseconds kLingerTime{2000};

std::string peer_of(const asio::ip::tcp::socket& s) {
  beast::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

// A parse error of Beast's (400), as opposed to the peer going away or a
// socket error (just close).
bool is_malformed_request(const beast::error_code& ec) {
  static const auto& http_errors = bhttp::make_error_code(bhttp::error::bad_target).category();
  return ec && ec.category() == http_errors && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

}  // namespace

IngestSession::IngestSession(asio::ip::tcp::socket socket, std::shared_ptr<IngestContext> ctx,
                             ConnectionLimiter::Slot slot)
    : stream_(std::move(socket)), ctx_(std::move(ctx)), slot_(std::move(slot)), peer_(peer_of(stream_.tcp().socket())) {}

IngestSession::~IngestSession() { ctx_->sessions.remove(this); }

void IngestSession::start() {
  ctx_->sessions.add(this, weak_from_this());
  const milliseconds timeout(ctx_->config.read_timeout_ms);
  stream_.accept_tls(ctx_->tls, timeout, [self = shared_from_this()](beast::error_code ec) {
    if (!ec) return self->admitted();
    // An untrusted or missing client certificate, plain HTTP on the TLS port, a scan.
    if (!self->stopping_) count_handshake_failure(self->ctx_->host, self->peer_, ec);
    self->close();
  });
}

void IngestSession::admitted() {
  if (slot_) return read_header();
  const auto limit = ctx_->limiter->limit();
  ctx_->host.count("connections_refused");
  auto res = error_response(503, "too many connections from this client (max_connections_per_client " +
                                     std::to_string(limit) + ")",
                            11, false, {{"limit", limit}});
  res.set(bhttp::field::retry_after, "1");
  write(std::move(res), true);
}

void IngestSession::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Idle or still receiving: nothing was handed to the host yet, so cancel.
    if (self->state_ == State::idle || self->state_ == State::reading_body) self->stream_.tcp().cancel();
  });
}

void IngestSession::read_header() {
  if (stopping_) return close();
  state_ = State::idle;
  node_id_.clear();
  token_.clear();
  parser_.emplace();
  parser_->body_limit(ctx_->config.body_limit);
  stream_.tcp().expires_after(milliseconds(ctx_->config.idle_timeout_ms));
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
}

void IngestSession::on_header(beast::error_code ec) {
  // Beast compares Content-Length with the body limit once all header fields
  // are parsed (they are in parser_->get()); 404, 401... still take precedence.
  if (ec == bhttp::error::body_limit) {
    auto early = refusal();
    return write(early ? std::move(*early) : too_large(parser_->get().version()), true);
  }
  if (ec == bhttp::error::header_limit)
    return write(error_response(431, "request header too large", 11, false), true);
  if (is_malformed_request(ec))
    return write(error_response(400, "malformed HTTP request: " + ec.message(), 11, false), true);
  if (ec) return close();  // peer closed, idle timeout, or shutdown
  if (auto early = refusal()) return write(std::move(*early), true);
  continue_then_read_body();
}

std::optional<Response> IngestSession::refusal() {
  return check_request_header(*parser_, *ctx_, node_id_, token_);
}

Response IngestSession::too_large(unsigned version) const {
  return body_too_large(ctx_->config.body_limit, version);
}

void IngestSession::continue_then_read_body() {
  state_ = State::reading_body;
  auto expect = parser_->get()[bhttp::field::expect];
  if (!beast::iequals(expect, "100-continue")) return read_body();
  // The sender waits for our go-ahead before sending the body.
  auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, parser_->get().version());
  stream_.tcp().expires_after(milliseconds(ctx_->config.read_timeout_ms));
  bhttp::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code ec, size_t) {
    if (ec) return self->close();
    self->read_body();
  });
}

void IngestSession::read_body() {
  if (stopping_) return close();
  stream_.tcp().expires_after(milliseconds(ctx_->config.read_timeout_ms));
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
}

void IngestSession::on_body(beast::error_code ec) {
  const unsigned v = parser_->get().version();
  if (ec == bhttp::error::body_limit) return write(too_large(v), true);
  if (ec) return close();  // peer vanished mid-body, timeout or shutdown: nothing was submitted
  submit();
}

void IngestSession::submit() {
  state_ = State::busy;
  auto req = parser_->release();
  // The host may block (durable write); run it off the I/O threads.
  asio::post(ctx_->submit_executor, [self = shared_from_this(), body = std::move(req.body()),
                                     meta = submission_meta(peer_, node_id_, token_), version = req.version(),
                                     keep_alive = req.keep_alive()]() mutable {
    Response res = self->answer(body, meta, version, keep_alive);
    asio::post(self->stream_.get_executor(),
               [self, res = std::move(res)]() mutable { self->write(std::move(res), false); });
  });
}

// Runs on a submit thread; node_id_ does not change while a request is busy.
Response IngestSession::answer(const std::string& body, const std::string& meta, unsigned version,
                               bool keep_alive) const {
  if (ctx_->tokens) {
    // The token proved who the sender is; it may send only its own records.
    if (auto problem = foreign_node_in_document(body, node_id_)) {
      ctx_->host.count(problem->unreadable ? "requests_refused" : "forbidden_records");
      return error_response(problem->unreadable ? 400 : 403, problem->reason, version, keep_alive);
    }
  }
  try {
    Verdict verdict;
    ctx_->host.submit(NEBULA_FORMAT_JSON, body, meta, verdict);
    ctx_->host.count(verdict.status() == NEBULA_OK ? "requests_accepted" : "requests_refused");
    return verdict_response(verdict, version, keep_alive);
  } catch (const std::exception& e) {
    return error_response(500, std::string("submission failed: ") + e.what(), version, false);
  }
}

void IngestSession::write(Response res, bool linger) {
  if (stopping_) res.keep_alive(false);
  const bool close_after = !res.keep_alive();
  state_ = close_after ? State::closing : State::busy;
  // Limits are counted where every refusal passes, whichever check found it.
  if (res.result_int() == 413) ctx_->host.count("body_too_large");
  if (res.result_int() == 431) ctx_->host.count("header_too_large");
  outgoing_ = std::make_shared<Response>(std::move(res));
  stream_.tcp().expires_after(milliseconds(ctx_->config.read_timeout_ms));
  bhttp::async_write(stream_, *outgoing_, [self = shared_from_this(), close_after, linger](beast::error_code ec, size_t) {
    self->on_write(ec, close_after, linger);
  });
}

void IngestSession::on_write(beast::error_code ec, bool close_after, bool linger) {
  outgoing_.reset();
  if (ec) return close();
  if (linger) return linger_close();
  if (close_after) return close();
  read_header();
}

void IngestSession::close() {
  state_ = State::closing;
  beast::error_code ignored;
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.tcp().close();
}

// We answered without reading the whole request. Closing now would reset the
// connection and the sender might lose our answer; stop sending, drain what
// is still coming for a bounded time, then close. The drain reads raw TCP
// bytes (under TLS too): they are discarded unread.
void IngestSession::linger_close() {
  state_ = State::closing;
  beast::error_code ignored;
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.tcp().expires_after(kLingerTime);
  auto sink = std::make_shared<std::array<char, 8192>>();
  struct Drain {
    std::shared_ptr<IngestSession> self;
    std::shared_ptr<std::array<char, 8192>> sink;
    void operator()(beast::error_code ec, size_t) {
      if (ec) return self->stream_.tcp().close();
      self->stream_.tcp().async_read_some(asio::buffer(*sink), std::move(*this));
    }
  };
  stream_.tcp().async_read_some(asio::buffer(*sink), Drain{shared_from_this(), sink});
}

}  // namespace nebula::transport::http
