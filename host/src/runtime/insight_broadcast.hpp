// Live insights for whoever watches (the admin API's server-sent event
// stream): each subscriber gets every insight on its topic ("" = all) from
// the moment it subscribes. A subscriber whose push answers false (its
// connection is gone or too slow) is forgotten. Costs nothing while nobody
// watches.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/owned_insight.hpp"

namespace nebula::host {

class InsightBroadcast {
 public:
  // [thread-safe] `push` must not block: it runs on the emitting thread.
  using Push = std::function<bool(const InsightPtr&)>;

  void subscribe(std::string topic, Push push) {
    std::lock_guard lock(mu_);
    subscribers_.push_back({std::move(topic), std::move(push)});
    count_ = subscribers_.size();
  }

  // [thread-safe]
  void publish(const InsightPtr& insight) {
    if (count_.load(std::memory_order_relaxed) == 0) return;
    std::lock_guard lock(mu_);
    std::erase_if(subscribers_, [&](const Subscriber& s) {
      return (s.topic.empty() || s.topic == insight->topic) && !s.push(insight);
    });
    count_ = subscribers_.size();
  }

  size_t subscribers() const { return count_; }

 private:
  struct Subscriber {
    std::string topic;
    Push push;
  };
  std::mutex mu_;
  std::vector<Subscriber> subscribers_;
  std::atomic<size_t> count_{0};
};

}  // namespace nebula::host
