// The HTTP ingest server of one start()..stop() run: an acceptor, a pool of
// I/O threads, and a separate pool for host submissions (which may block on
// a durable write) so slow submissions never stall reading or accepting.
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

#include "ingest_context.hpp"

namespace nebula::transport::http {

class IngestServer {
 public:
  IngestServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens);
  ~IngestServer();
  IngestServer(const IngestServer&) = delete;
  IngestServer& operator=(const IngestServer&) = delete;

  // Binds, listens and starts the threads; throws nebula::Error(NEBULA_IO)
  // naming the address when it cannot listen.
  void start();
  // Stops accepting, lets answered-or-in-flight requests finish (bounded by
  // drain_timeout_ms), closes every connection, joins all threads. Idempotent.
  void stop();

  uint16_t port() const { return port_; }
  size_t connections() const { return ctx_->sessions.size(); }

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  std::shared_ptr<IngestContext> ctx_;
  boost::asio::io_context ioc_;
  boost::asio::thread_pool workers_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on its own strand
  boost::asio::steady_timer accept_backoff_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;
};

}  // namespace nebula::transport::http
