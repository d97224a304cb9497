// What every connection of one running HTTP ingest server shares.
#pragma once

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
#include "http_config.hpp"
#include "token_store.hpp"

namespace nebula::transport::http {

class IngestSession;

// Live sessions, so stop() can ask each to close and wait until all have.
class SessionRegistry {
 public:
  void add(IngestSession* s, std::weak_ptr<IngestSession> w) {
    std::lock_guard lock(mu_);
    live_[s] = std::move(w);
  }
  void remove(IngestSession* s) {
    std::lock_guard lock(mu_);
    live_.erase(s);
    if (live_.empty()) empty_.notify_all();
  }
  std::vector<std::shared_ptr<IngestSession>> snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<IngestSession>> out;
    for (auto& [_, w] : live_)
      if (auto s = w.lock()) out.push_back(std::move(s));
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
  std::map<IngestSession*, std::weak_ptr<IngestSession>> live_;
};

struct IngestContext {
  Host host;
  ServerConfig config;
  std::shared_ptr<TokenStore> tokens;          // null: no bearer-token check
  security::TlsContext tls;                    // null: plain HTTP
  std::shared_ptr<ConnectionLimiter> limiter;  // max_connections_per_client
  boost::asio::any_io_executor submit_executor;  // host submissions run here, off the I/O threads
  SessionRegistry sessions;
};

}  // namespace nebula::transport::http
