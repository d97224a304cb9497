// The TCP ingest server of one start()..stop() run: a listener with its I/O
// threads, and a separate pool for host submissions so a slow host never
// stalls reading, acking or accepting on other connections.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "tcp_context.hpp"
#include "tcp_listener.hpp"

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

  uint16_t port() const { return listener_.port(); }
  size_t connections() const { return ctx_->connections.size(); }
  uint64_t batches() const { return ctx_->batches.load(); }

 private:
  std::shared_ptr<TcpContext> ctx_;
  boost::asio::thread_pool workers_;
  TcpListener listener_;
  bool stopped_ = false;
};

}  // namespace nebula::transport::tcp
