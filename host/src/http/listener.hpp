// The listening socket: binds at construction (so bind errors surface in
// start()), then hands every accepted connection to a callback.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace nebula::http::detail {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

  // Throws std::runtime_error("cannot listen on ADDR:PORT: reason").
  Listener(boost::asio::io_context& io, const std::string& address, uint16_t port, OnAccept on_accept);

  void start();
  // Thread-safe; the close runs on the listener's strand.
  void close();
  uint16_t port() const { return port_; }

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  OnAccept on_accept_;
  uint16_t port_ = 0;
  bool closed_ = false;
};

}  // namespace nebula::http::detail
