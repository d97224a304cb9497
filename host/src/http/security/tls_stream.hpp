// A TCP connection that may be wrapped in TLS, with one interface for both,
// so a server or client session is written once and the choice is made by
// configuration at run time. Timeouts, cancel and close act on the TCP
// layer (tcp()); reads and writes go through TLS when it is on.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <variant>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "http/security/tls_context.hpp"

namespace nebula::security {

class Stream {
 public:
  using Plain = boost::beast::tcp_stream;
  using Secure = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  using executor_type = Plain::executor_type;

  explicit Stream(boost::asio::ip::tcp::socket socket) : stream_(std::in_place_type<Plain>, std::move(socket)) {}
  template <class Executor>
  explicit Stream(const Executor& ex) : stream_(std::in_place_type<Plain>, ex) {}

  // Wraps the (connected or accepted) TCP stream in TLS; call before any I/O.
  void use_tls(boost::asio::ssl::context& ctx);
  // Client side, after use_tls(): sends `server_name` as SNI (unless it is an
  // IP address) and requires the server certificate to match it.
  void expect_server_name(const std::string& server_name);

  bool is_tls() const { return std::holds_alternative<Secure>(stream_); }
  Plain& tcp() { return is_tls() ? std::get<Secure>(stream_).next_layer() : std::get<Plain>(stream_); }
  executor_type get_executor() { return tcp().get_executor(); }

  // Server side of a just-accepted connection: with `tls`, wraps the stream and
  // shakes hands within `timeout`; without, succeeds at once. Then done(ec).
  template <class Handler>
  void accept_tls(const TlsContext& tls, std::chrono::milliseconds timeout, Handler&& done) {
    if (tls) {
      use_tls(*tls);
      tcp().expires_after(timeout);
    }
    async_handshake(boost::asio::ssl::stream_base::server, std::forward<Handler>(done));
  }

  // TLS handshake; completes at once (posted) with success on a plain stream.
  template <class Handler>
  void async_handshake(boost::asio::ssl::stream_base::handshake_type side, Handler&& handler) {
    if (auto* tls = std::get_if<Secure>(&stream_)) return tls->async_handshake(side, std::forward<Handler>(handler));
    boost::asio::post(get_executor(), [h = std::forward<Handler>(handler)]() mutable { h(boost::system::error_code{}); });
  }

  template <class Buffers, class Handler>
  auto async_read_some(const Buffers& buffers, Handler&& handler) {
    if (auto* tls = std::get_if<Secure>(&stream_)) return tls->async_read_some(buffers, std::forward<Handler>(handler));
    return std::get<Plain>(stream_).async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class Buffers, class Handler>
  auto async_write_some(const Buffers& buffers, Handler&& handler) {
    if (auto* tls = std::get_if<Secure>(&stream_)) return tls->async_write_some(buffers, std::forward<Handler>(handler));
    return std::get<Plain>(stream_).async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  std::variant<Plain, Secure> stream_;
};

}  // namespace nebula::security
