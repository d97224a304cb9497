// The live connections of one running server, so stop() can ask each to
// close and then wait (bounded) until all have gone. A connection adds itself
// when it starts and removes itself in its destructor; the registry holds it
// weakly, so it never keeps one alive.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace nebula::transport {

template <class Connection>
class LiveRegistry {
 public:
  // [thread-safe] all of them.
  void add(Connection* c, std::weak_ptr<Connection> w) {
    std::lock_guard lock(mu_);
    live_[c] = std::move(w);
  }
  void remove(Connection* c) {
    std::lock_guard lock(mu_);
    live_.erase(c);
    if (live_.empty()) empty_.notify_all();
  }
  // The ones still alive, held so they stay so while the caller acts on them.
  std::vector<std::shared_ptr<Connection>> snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<std::shared_ptr<Connection>> out;
    for (const auto& [_, w] : live_)
      if (auto c = w.lock()) out.push_back(std::move(c));
    return out;
  }
  // True when the last one went within `timeout`.
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
  std::map<Connection*, std::weak_ptr<Connection>> live_;
};

}  // namespace nebula::transport
