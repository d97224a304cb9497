// The HTTP ingest server of one start()..stop() run: a listener with its pool
// of I/O threads, and a separate pool for host submissions (which may block on
// a durable write) so slow submissions never stall reading or accepting.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "ingest_context.hpp"
#include "tcp_listener.hpp"

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

  uint16_t port() const { return listener_.port(); }
  size_t connections() const { return ctx_->sessions.size(); }

 private:
  std::shared_ptr<IngestContext> ctx_;
  boost::asio::thread_pool workers_;
  TcpListener listener_;
  bool stopped_ = false;
};

}  // namespace nebula::transport::http
