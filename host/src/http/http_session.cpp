#include "http/http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

#include "http/request_handler.hpp"
#include "http/responses.hpp"
#include "http/router.hpp"
#include "http/session_registry.hpp"

namespace nebula::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// After "Connection: close" the client may still be sending (e.g. the rest of
// a body we refused). Closing with unread data makes the kernel send RST, which
// can destroy our error response before the client reads it, so we read and
// discard for a short while first.
constexpr std::chrono::seconds kLingerTimeout{2};

std::string describe_peer(const tcp::socket& socket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

bool is_protocol_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

}  // namespace

HttpSession::HttpSession(tcp::socket socket, SessionSetup setup, SessionLimits limits, SessionRegistry& registry)
    : stream_(std::move(socket)),
      setup_(std::move(setup)),
      limits_(limits),
      registry_(registry),
      peer_(describe_peer(stream_.tcp().socket())) {}

HttpSession::~HttpSession() { registry_.remove(this); }

void HttpSession::run() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&HttpSession::handshake, shared_from_this()));
}

void HttpSession::handshake() {
  const auto timeout = std::chrono::seconds(limits_.idle_timeout_seconds ? limits_.idle_timeout_seconds : 60);
  stream_.accept_tls(setup_.tls, timeout, [self = shared_from_this()](beast::error_code ec) {
    // A client that does not trust us, lacks a certificate we require, or speaks plain HTTP.
    if (ec) return self->close_now();
    self->read_header();
  });
}

void HttpSession::shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (self->phase_ != Phase::Answering || self->feed_) self->close_now();
  });
}

void HttpSession::arm_idle_timer() {
  if (limits_.idle_timeout_seconds == 0) {
    stream_.tcp().expires_never();
  } else {
    stream_.tcp().expires_after(std::chrono::seconds(limits_.idle_timeout_seconds));
  }
}

void HttpSession::read_header() {
  if (stopping_) return close_now();
  phase_ = Phase::Reading;
  parser_.emplace();
  parser_->body_limit(limits_.body_limit);
  arm_idle_timer();
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(beast::error_code ec, size_t) {
  if (ec) return on_read_error(ec);
  const auto& header = parser_->get();
  // curl and others wait (about a second) for this before sending a body.
  if (!parser_->is_done() && beast::iequals(header[bhttp::field::expect], "100-continue")) {
    continue_response_ = bhttp::response<bhttp::empty_body>(bhttp::status::continue_, header.version());
    bhttp::async_write(stream_, continue_response_,
                       beast::bind_front_handler(&HttpSession::on_continue_sent, shared_from_this()));
    return;
  }
  read_body();
}

void HttpSession::on_continue_sent(beast::error_code ec, size_t) {
  if (ec) return close_now();
  read_body();
}

void HttpSession::read_body() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    beast::bind_front_handler(&HttpSession::on_request, shared_from_this()));
}

void HttpSession::on_request(beast::error_code ec, size_t) {
  if (ec) return on_read_error(ec);
  phase_ = Phase::Answering;
  auto request = parser_->release();
  const unsigned version = request.version();
  const bool keep_alive = request.keep_alive();
  // Handlers run right here on an I/O thread; slow ones should hand work off.
  Response response = handle_request(setup_.router, setup_.guard, std::move(request), peer_);
  if (response.events && !stopping_) return start_events(std::move(response));
  send(std::move(response), version, keep_alive && !stopping_);
}

void HttpSession::on_read_error(beast::error_code ec) {
  if (phase_ == Phase::Closed) return;  // our own close_now() aborted the read
  // The request was not read to its end, so the connection cannot be reused.
  const unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  phase_ = Phase::Answering;  // answering the error, even if stop() comes meanwhile
  if (ec == bhttp::error::body_limit) return send(body_too_large(limits_.body_limit), version, false);
  if (ec == bhttp::error::header_limit) return send(json_error(431, "request header too large"), version, false);
  if (ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message && is_protocol_error(ec))
    return send(json_error(400, "malformed request: " + ec.message()), version, false);
  // Client went away, idle timeout, or we closed the socket ourselves.
  close_now();
}

void HttpSession::send(Response response, unsigned http_version, bool keep_alive) {
  response_ = to_wire(std::move(response), http_version, keep_alive);
  arm_idle_timer();
  bhttp::async_write(stream_, response_, beast::bind_front_handler(&HttpSession::on_sent, shared_from_this()));
}

void HttpSession::on_sent(beast::error_code ec, size_t) {
  if (ec) return close_now();
  if (stopping_) return close_now();
  if (!response_.keep_alive()) return close_gracefully();
  read_header();
}

void HttpSession::close_gracefully() {
  beast::error_code ec;
  stream_.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) return close_now();
  phase_ = Phase::Draining;
  stream_.tcp().expires_after(kLingerTimeout);
  drain();
}

void HttpSession::drain() {
  // Raw TCP bytes, under TLS too: they are discarded unread.
  stream_.tcp().async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec || self->stopping_) return self->close_now();
    self->drain();
  });
}

void HttpSession::close_now() {
  if (phase_ == Phase::Closed) return;
  phase_ = Phase::Closed;
  end_events();
  beast::error_code ignored;
  stream_.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.tcp().close();
}

}  // namespace nebula::http::detail
