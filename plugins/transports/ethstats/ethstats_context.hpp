// What every connection of one running ethstats server shares: the config,
// the host, the executors, the tokens, and the two registries — every live
// session (so stop() can close them) and which session speaks for which
// node (one connection per node).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include <nebula/host.hpp>

#include "connection_limiter.hpp"
#include "ethstats_config.hpp"
#include "http/security/tls_context.hpp"
#include "live_registry.hpp"
#include "node_records.hpp"
#include "token_store.hpp"

namespace nebula::transport::ethstats {

// The part of a session others may act on, from any thread.
class SessionHandle {
 public:
  virtual ~SessionHandle() = default;
  // Closes the WebSocket with `code` and `reason` once the message in hand
  // (if any) has been accepted by the host or dead-lettered.
  virtual void close_soon(uint16_t code, std::string reason) = 0;
};

// Every live session, and which one speaks for which node.
class SessionRegistry : public LiveRegistry<SessionHandle> {
 public:
  // Makes `s` the connection of `node`; returns the session it replaces (or null).
  std::shared_ptr<SessionHandle> claim_node(const std::string& node, std::weak_ptr<SessionHandle> s);
  // Forgets `node`'s connection if it is still `s`.
  void release_node(const std::string& node, const SessionHandle* s);
  size_t nodes() const;

 private:
  mutable std::mutex owners_mu_;
  std::map<std::string, std::weak_ptr<SessionHandle>> owners_;
};

struct EthstatsContext {
  EthstatsContext(Host h, ServerConfig c)
      : host(std::move(h)), config(std::move(c)), mapper(config.max_nodes) {}
  Host host;
  ServerConfig config;
  boost::asio::any_io_executor submit_executor;  // host submissions run here
  std::shared_ptr<TokenStore> tokens;            // null: any secret is accepted
  security::TlsContext tls;                      // null: plain ws://
  std::shared_ptr<ConnectionLimiter> limiter;    // max_connections_per_client
  SessionRegistry sessions;
  RecordMapper mapper;
  std::atomic<uint64_t> records_accepted{0};     // for describe()
};

}  // namespace nebula::transport::ethstats
