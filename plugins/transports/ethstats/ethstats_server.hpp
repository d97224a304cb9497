// The ethstats server of one start()..stop() run: a listener with its I/O
// threads, and a separate pool for host submissions so a slow host never
// stalls reading, pinging or accepting on other connections.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/thread_pool.hpp>

#include "ethstats_context.hpp"
#include "tcp_listener.hpp"

namespace nebula::transport::ethstats {

class EthstatsServer {
 public:
  EthstatsServer(Host host, ServerConfig config, std::shared_ptr<TokenStore> tokens);
  ~EthstatsServer();
  EthstatsServer(const EthstatsServer&) = delete;
  EthstatsServer& operator=(const EthstatsServer&) = delete;

  // Throws nebula::Error(NEBULA_IO) naming the address when it cannot listen,
  // NEBULA_INVALID when a TLS file became unusable since validation.
  void start();
  // Stops accepting, lets submissions in flight finish, dead-letters
  // messages still waiting for room, closes every connection with 1001
  // (bounded by drain_timeout_ms), joins all threads. Idempotent.
  void stop();

  uint16_t port() const { return listener_.port(); }
  size_t connections() const { return ctx_->sessions.size(); }
  size_t nodes() const { return ctx_->sessions.nodes(); }
  uint64_t records_accepted() const { return ctx_->records_accepted.load(); }
  // Nodes whose state was forgotten to stay within max_nodes (their counters restart).
  size_t node_states_evicted() const { return ctx_->mapper.evicted_nodes(); }

 private:
  std::shared_ptr<EthstatsContext> ctx_;
  boost::asio::thread_pool workers_;
  TcpListener listener_;
  bool stopped_ = false;
};

}  // namespace nebula::transport::ethstats
