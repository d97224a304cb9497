// Live records of one component for whoever watches (`nebula-pool tap`,
// GET /api/v1/pool/tap/{component}): a processor's records as it is handed
// them, a transport's as they leave the pool queue. Like InsightBroadcast it
// costs one relaxed load per batch while nobody watches; a subscriber whose
// push answers false (gone, too slow) is forgotten.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "ingest/record.hpp"

namespace nebula::host {

class RecordTap {
 public:
  // [thread-safe] Runs on the dispatcher's threads: must not block. Gets the
  // record itself, so a rate-limited subscriber encodes only what it sends.
  using Push = std::function<bool(const Record&)>;

  void subscribe(std::string component, Push push) {
    std::lock_guard lock(mu_);
    subscribers_.push_back({std::move(component), std::move(push)});
    count_ = subscribers_.size();
  }

  bool listening() const { return count_.load(std::memory_order_relaxed) != 0; }

  // [thread-safe] `row(i)` is the i-th of `n` records `component` takes.
  void publish(const std::string& component, size_t n, const std::function<const Record&(size_t)>& row) {
    std::lock_guard lock(mu_);
    std::erase_if(subscribers_, [&](const Subscriber& s) {
      if (s.component != component) return false;
      for (size_t i = 0; i < n; ++i)
        if (!s.push(row(i))) return true;
      return false;
    });
    count_ = subscribers_.size();
  }

 private:
  struct Subscriber {
    std::string component;
    Push push;
  };
  std::mutex mu_;
  std::vector<Subscriber> subscribers_;
  std::atomic<size_t> count_{0};
};

}  // namespace nebula::host
