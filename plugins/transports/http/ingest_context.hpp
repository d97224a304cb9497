// What every connection of one running HTTP ingest server shares.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include <nebula/host.hpp>

#include "connection_limiter.hpp"
#include "http/security/tls_context.hpp"
#include "http_config.hpp"
#include "live_registry.hpp"
#include "token_store.hpp"

namespace nebula::transport::http {

class IngestSession;

struct IngestContext {
  Host host;
  ServerConfig config;
  std::shared_ptr<TokenStore> tokens;          // null: no bearer-token check
  security::TlsContext tls;                    // null: plain HTTP
  std::shared_ptr<ConnectionLimiter> limiter;  // max_connections_per_client
  boost::asio::any_io_executor submit_executor;  // host submissions run here, off the I/O threads
  LiveRegistry<IngestSession> sessions;
};

}  // namespace nebula::transport::http
