// The accepting half of a network transport server: binds and listens
// (failing with a message naming the address), accepts each connection on
// its own strand, backs off when accept fails (out of descriptors), runs the
// I/O threads, and on stop closes the acceptor and sweeps the live
// connections once on the acceptor's strand, so no accept races the sweep.
// The tcp, http and ethstats ingest servers all accept through it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <nebula/host.hpp>

namespace nebula::transport {

class TcpListener {
 public:
  // Called on the acceptor's strand with a connected socket (no_delay set).
  // A server registers the connection here, synchronously, so the sweep of
  // stop_accepting() cannot miss one that was just accepted.
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket)>;

  TcpListener(Host host, std::string transport);  // `transport` names it in messages: "tcp", "http", "ethstats"
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Throws nebula::Error(NEBULA_IO) "<transport> transport cannot listen on <address>:<port>: <why>".
  void start(const std::string& address, uint16_t port, unsigned io_threads, OnAccept on_accept);
  // Stops accepting and runs `sweep` on the acceptor's strand; true when it ran within `timeout`.
  bool stop_accepting(std::function<void()> sweep, std::chrono::milliseconds timeout);
  // Stops the I/O threads and joins them. Idempotent.
  void join();

  uint16_t port() const { return port_; }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  Host host_;
  std::string transport_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on its own strand
  boost::asio::steady_timer backoff_;
  OnAccept on_accept_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
};

// "host:port" with an IPv6 address in brackets, for URLs and log lines.
std::string host_port(const std::string& address, uint16_t port);

}  // namespace nebula::transport
