// One client connection (plain or TLS): shake hands, read a request, answer
// it, repeat while keep-alive. Every step runs on the connection's strand, so
// the session's state needs no locks.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "http/http_server.hpp"
#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"

namespace nebula::http::detail {

class Router;
class SessionRegistry;

// What a session serves with; the server outlives its sessions.
struct SessionSetup {
  const Router& router;
  const Guard& guard;
  security::TlsContext tls;  // null: plain HTTP
};

struct SessionLimits {
  size_t body_limit = 1 << 20;
  unsigned idle_timeout_seconds = 60;  // 0 = never time out
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, SessionSetup setup, SessionLimits limits, SessionRegistry& registry);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Starts serving; call once, after registering with the registry.
  void run();
  // Thread-safe. Idle connections close at once; a request being answered
  // gets its response written first, then the connection closes.
  void shutdown();

 private:
  enum class Phase { Reading, Answering, Draining, Closed };

  void handshake();
  void read_header();
  void on_header(boost::beast::error_code ec, size_t bytes);
  void on_continue_sent(boost::beast::error_code ec, size_t bytes);
  void read_body();
  void on_request(boost::beast::error_code ec, size_t bytes);
  void on_read_error(boost::beast::error_code ec);
  void send(Response response, unsigned http_version, bool keep_alive);
  void on_sent(boost::beast::error_code ec, size_t bytes);
  void close_gracefully();
  void drain();
  void close_now();
  void arm_idle_timer();
  // Server-sent events (event_stream.cpp): header, then events as pushed.
  void start_events(Response response);
  void queue_event(std::string event);
  void write_next_event();
  void watch_for_hangup();
  void arm_heartbeat();
  void end_events();
  friend class SessionFeed;

  security::Stream stream_;
  const SessionSetup setup_;
  const SessionLimits limits_;
  SessionRegistry& registry_;
  std::string peer_;

  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::empty_body> continue_response_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::array<char, 4096> drain_buffer_{};

  std::shared_ptr<class SessionFeed> feed_;  // set while streaming events
  std::deque<std::string> events_;           // unsent; events_.front() is being written
  std::optional<boost::asio::steady_timer> heartbeat_;

  Phase phase_ = Phase::Reading;
  bool stopping_ = false;
};

}  // namespace nebula::http::detail
