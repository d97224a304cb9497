// What every connection of one running TCP server shares.
#pragma once

#include <atomic>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include <nebula/host.hpp>

#include "connection_limiter.hpp"
#include "http/security/tls_context.hpp"
#include "live_registry.hpp"
#include "tcp_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::tcp {

class TcpConnection;

struct TcpContext {
  Host host;
  ServerConfig config;
  boost::asio::any_io_executor submit_executor;  // host submissions run here
  std::shared_ptr<TokenStore> tokens;            // null: no auth line required
  security::TlsContext tls;                      // null: plain TCP
  std::shared_ptr<ConnectionLimiter> limiter;    // max_connections_per_client
  LiveRegistry<TcpConnection> connections;
  std::atomic<uint64_t> batches{0};              // acks written, for describe()
};

}  // namespace nebula::transport::tcp
