// What every connection of one running TCP server shares.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include <nebula/host.hpp>

#include "connection_limiter.hpp"
#include "http/security/tls_context.hpp"
#include "tcp_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::tcp {

class TcpConnection;

// Live connections, so stop() can ask each to close and wait until all have.
class ConnectionRegistry {
 public:
  void add(TcpConnection* c, std::weak_ptr<TcpConnection> w) {
    std::lock_guard lock(mu_);
    live_[c] = std::move(w);
  }
  void remove(TcpConnection* c) {
    std::lock_guard lock(mu_);
    live_.erase(c);
    if (live_.empty()) empty_.notify_all();
  }
  std::vector<std::shared_ptr<TcpConnection>> snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<TcpConnection>> out;
    for (auto& [_, w] : live_)
      if (auto c = w.lock()) out.push_back(std::move(c));
    return out;
  }
  bool wait_empty(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return empty_.wait_for(lock, timeout, [&] { return live_.empty(); });
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return live_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::map<TcpConnection*, std::weak_ptr<TcpConnection>> live_;
};

struct TcpContext {
  Host host;
  ServerConfig config;
  boost::asio::any_io_executor submit_executor;  // host submissions run here
  std::shared_ptr<TokenStore> tokens;            // null: no auth line required
  security::TlsContext tls;                      // null: plain TCP
  std::shared_ptr<ConnectionLimiter> limiter;    // max_connections_per_client
  ConnectionRegistry connections;
  std::atomic<uint64_t> batches{0};              // acks written, for describe()
};

}  // namespace nebula::transport::tcp
