// The TCP ingest server of one start()..stop() run: an acceptor, I/O
// threads, and a separate pool for host submissions so a slow host never
// stalls reading, acking or accepting on other connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "tcp_context.hpp"

namespace nebula::transport::tcp {

class TcpServer {
 public:
  TcpServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  // Throws nebula::Error(NEBULA_IO) naming the address when it cannot listen,
  // NEBULA_INVALID when a TLS file became unusable since validation.
  void start();
  // Stops accepting, lets batches with the host be acked (bounded by
  // drain_timeout_ms), closes every connection, joins all threads. Idempotent.
  void stop();

  uint16_t port() const { return port_; }
  size_t connections() const { return ctx_->connections.size(); }
  uint64_t batches() const { return ctx_->batches.load(); }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  std::shared_ptr<TcpContext> ctx_;
  boost::asio::io_context ioc_;
  boost::asio::thread_pool workers_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on its own strand
  boost::asio::steady_timer accept_backoff_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
};

}  // namespace nebula::transport::tcp
