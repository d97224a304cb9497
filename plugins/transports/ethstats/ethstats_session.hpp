// One ethstats connection, plain (ws://) or TLS (wss://): the HTTP upgrade
// on the configured path, then one WebSocket message at a time. A message
// that becomes records is handed to the host before the next one is read,
// so a full pool stops the reading (TCP flow control pushes back on the
// node) and nothing is acknowledged — not even a node-pong — before the
// host accepted what came earlier. Records the host refuses for good go to
// the dead-letter file; a message still waiting for room when the pool
// stops goes there too. All members are touched only on the strand.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "connection_limiter.hpp"
#include "ethstats_context.hpp"
#include "host_delivery.hpp"
#include "session_logic.hpp"
#include "tls_config.hpp"

namespace nebula::transport::ethstats {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

std::string peer_of(const boost::asio::ip::tcp::socket& socket);
double wall_clock_now();
// An HTTP answer for a request that does not become a WebSocket.
boost::beast::http::response<boost::beast::http::string_body> refusal(unsigned status, const std::string& error,
                                                                      bool keep_alive);

template <class Stream>
class Session : public SessionHandle, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<EthstatsContext> ctx, ConnectionLimiter::Slot slot)
      : peer_(peer_of(socket)),
        ws_(make_stream(std::move(socket), *ctx)),
        ctx_(std::move(ctx)),
        slot_(std::move(slot)),
        pause_(ws_.get_executor()),
        logic_(ctx_, peer_) {}

  ~Session() override {
    if (logic_.authenticated()) ctx_->sessions.release_node(logic_.node_id(), this);
    ctx_->sessions.remove(this);
  }

  void start() {
    ctx_->sessions.add(this, this->weak_from_this());
    auto& tcp = boost::beast::get_lowest_layer(ws_);
    tcp.expires_after(std::chrono::milliseconds(ctx_->config.idle_timeout_ms));
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      ws_.next_layer().async_handshake(boost::asio::ssl::stream_base::server,
                                       [self = this->shared_from_this()](boost::beast::error_code ec) {
                                         if (ec) {
                                           count_handshake_failure(self->ctx_->host, self->peer_, ec);
                                           return self->finish();
                                         }
                                         self->read_upgrade();
                                       });
    } else {
      read_upgrade();
    }
  }

  void close_soon(uint16_t code, std::string reason) override {
    boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason)] {
      if (self->wanted_close_ || self->state_ == State::closing) return;
      self->wanted_close_ = Close{code, reason};
      switch (self->state_) {
        case State::upgrading: boost::beast::get_lowest_layer(self->ws_).close(); break;
        case State::reading: self->send_close(*self->wanted_close_); break;
        // Only a stop interrupts a message waiting for room; it is then dead-lettered.
        case State::paused:
          if (code == kGoingAway) self->pause_.cancel();
          break;
        default: break;  // submitting or writing: closes when that is done
      }
    });
  }

 private:
  enum class State { upgrading, reading, submitting, writing, paused, closing };

  static boost::beast::websocket::stream<Stream> make_stream(boost::asio::ip::tcp::socket socket,
                                                             const EthstatsContext& ctx) {
    if constexpr (std::is_same_v<Stream, TlsStream>)
      return boost::beast::websocket::stream<Stream>(std::move(socket), *ctx.tls);
    else
      return boost::beast::websocket::stream<Stream>(std::move(socket));
  }

  void read_upgrade() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(0);
    boost::beast::http::async_read(ws_.next_layer(), buffer_, *parser_,
                                   [self = this->shared_from_this()](boost::beast::error_code ec, size_t) {
                                     if (ec) return self->finish();  // not HTTP, or gone
                                     self->upgrade();
                                   });
  }

  void upgrade() {
    namespace http = boost::beast::http;
    auto& req = parser_->get();
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (path != ctx_->config.path) return answer(404, "no ethstats endpoint here (it is at " + ctx_->config.path + ")");
    if (!boost::beast::websocket::is_upgrade(req))
      return answer(426, "ethstats speaks WebSocket: connect with a WebSocket client");
    if (!slot_) {
      ctx_->host.count("connections_refused");
      return answer(503, "too many connections from this client (max_connections_per_client " +
                             std::to_string(ctx_->limiter->limit()) + ")");
    }
    boost::beast::get_lowest_layer(ws_).expires_never();  // the WebSocket keeps its own time from here
    boost::beast::websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(5);
    t.idle_timeout = std::chrono::milliseconds(ctx_->config.idle_timeout_ms);
    t.keep_alive_pings = true;  // a silent but live node answers them
    ws_.set_option(t);
    ws_.read_message_max(ctx_->config.max_frame_bytes);
    ctx_->host.count("connections_accepted");
    ws_.async_accept(req, [self = this->shared_from_this()](boost::beast::error_code ec) {
      if (ec) return self->finish();
      if (self->wanted_close_) return self->send_close(*self->wanted_close_);
      self->read();
    });
  }

  void answer(unsigned status, const std::string& error) {
    state_ = State::closing;
    response_ = std::make_shared<boost::beast::http::response<boost::beast::http::string_body>>(
        refusal(status, error, false));
    boost::beast::http::async_write(ws_.next_layer(), *response_,
                                    [self = this->shared_from_this()](boost::beast::error_code, size_t) {
                                      self->finish();
                                    });
  }

  void read() {
    state_ = State::reading;
    buffer_.clear();
    ws_.async_read(buffer_, [self = this->shared_from_this()](boost::beast::error_code ec, size_t) {
      if (ec) return self->read_failed(ec);
      const auto text = boost::beast::buffers_to_string(self->buffer_.data());
      self->buffer_.clear();
      Step step = self->logic_.on_frame(text, !self->ws_.got_text(), wall_clock_now());
      if (self->state_ == State::closing) return self->keep_while_closing(std::move(step));
      self->apply(std::move(step));
    });
  }

  // A message that arrived while our close was already under way: no reply
  // can be sent any more, but its records are kept (accepted, else dead-lettered).
  void keep_while_closing(Step step) {
    if (step.payload.empty()) return;
    auto payload = std::make_shared<std::string>(std::move(step.payload));
    boost::asio::post(ctx_->submit_executor, [ctx = ctx_, payload, records = step.records, meta = logic_.meta()] {
      const Delivery d = deliver(*ctx, *payload, records, meta);
      if (d.retry) dead_letter(*ctx, *payload, records, "arrived while the connection closed: " + d.reason);
    });
  }

  void read_failed(const boost::beast::error_code& ec) {
    if (ec == boost::beast::websocket::error::message_too_big) {
      // Beast has already sent close 1009; nothing of the frame was used.
      ctx_->host.count("frames_too_large");
      ctx_->host.count("protocol_errors");
      ctx_->host.warn("ethstats transport: closing " + peer_ + ": a message is larger than max_frame_bytes (" +
                      std::to_string(ctx_->config.max_frame_bytes) + ")");
    } else if (ec == boost::beast::error::timeout) {
      ctx_->host.count("idle_timeouts");
    }
    // Closed by the node (mid-stream too), or by us: a partial frame is never a message.
    finish();
  }

  void apply(Step step) {
    step_ = std::move(step);
    if (step_.claim_node) {
      if (auto previous = ctx_->sessions.claim_node(logic_.node_id(), this->weak_from_this())) {
        // One connection per node: the newer one wins, since a node that
        // reconnects after a network failure may find its old connection
        // still open on this side.
        ctx_->host.count("nodes_replaced");
        previous->close_soon(kPolicy, "replaced by a newer connection of node '" + logic_.node_id() + "'");
      }
    }
    if (step_.payload.empty()) return write_replies();
    submit();
  }

  void submit() {
    state_ = State::submitting;
    auto payload = std::make_shared<std::string>(step_.payload);
    boost::asio::post(ctx_->submit_executor, [self = this->shared_from_this(), payload, records = step_.records,
                                              meta = logic_.meta()] {
      Delivery d = deliver(*self->ctx_, *payload, records, meta);
      boost::asio::post(self->ws_.get_executor(), [self, d] { self->delivered(d); });
    });
  }

  void delivered(const Delivery& d) {
    if (!d.retry) return write_replies();
    // The pool is full: do not read on (the node's writes wait in its
    // socket), try the same records again after the host's hint.
    ctx_->host.count("retries");
    if (wanted_close_ && wanted_close_->code == kGoingAway) return give_up(d.reason);
    state_ = State::paused;
    pause_.expires_after(std::chrono::milliseconds(d.retry_after_ms));
    pause_.async_wait([self = this->shared_from_this(), reason = d.reason](boost::system::error_code) {
      if (self->wanted_close_ && self->wanted_close_->code == kGoingAway) return self->give_up(reason);
      self->submit();
    });
  }

  // The pool stops while these records still wait for room: they go to the
  // dead-letter file (the node will not send them again).
  void give_up(const std::string& last_reason) {
    state_ = State::submitting;
    auto payload = std::make_shared<std::string>(step_.payload);
    boost::asio::post(ctx_->submit_executor, [self = this->shared_from_this(), payload, records = step_.records,
                                              last_reason] {
      dead_letter(*self->ctx_, *payload, records, "not accepted before the transport stopped: " + last_reason);
      boost::asio::post(self->ws_.get_executor(), [self] { self->send_close(*self->wanted_close_); });
    });
  }

  void write_replies() {
    if (!step_.replies.empty()) {
      state_ = State::writing;
      outgoing_ = std::make_shared<std::string>(std::move(step_.replies.front()));
      step_.replies.erase(step_.replies.begin());
      ws_.text(true);
      ws_.async_write(boost::asio::buffer(*outgoing_),
                      [self = this->shared_from_this()](boost::beast::error_code ec, size_t) {
                        self->outgoing_.reset();
                        if (ec) return self->finish();
                        self->write_replies();
                      });
      return;
    }
    if (step_.close) return send_close(*step_.close);
    if (wanted_close_) return send_close(*wanted_close_);
    read();
  }

  void send_close(const Close& c) {
    state_ = State::closing;
    boost::beast::websocket::close_reason reason;
    reason.code = c.code;
    reason.reason = c.reason.substr(0, reason.reason.max_size()).c_str();
    ws_.async_close(reason, [self = this->shared_from_this()](boost::beast::error_code) { self->finish(); });
  }

  void finish() {
    state_ = State::closing;
    pause_.cancel();
    boost::beast::get_lowest_layer(ws_).close();
  }

  std::string peer_;
  boost::beast::websocket::stream<Stream> ws_;
  std::shared_ptr<EthstatsContext> ctx_;
  ConnectionLimiter::Slot slot_;
  boost::asio::steady_timer pause_;
  SessionLogic logic_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
  std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::shared_ptr<std::string> outgoing_;
  Step step_;
  std::optional<Close> wanted_close_;
  State state_ = State::upgrading;
};

}  // namespace nebula::transport::ethstats
