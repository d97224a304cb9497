// A log line that may repeat per payload (a sender stuck on a wrong shape)
// is written at most once per interval; the lines held back in between are
// counted and reported with the next one, so nothing is hidden.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace nebula::host {

class LogThrottle {
 public:
  explicit LogThrottle(std::chrono::milliseconds interval = std::chrono::seconds(10)) : interval_(interval) {}

  // [thread-safe] Whether to write the line now; `suppressed` is set to the
  // number of lines held back since the last one written.
  bool allow(uint64_t& suppressed) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    if (written_ && now - last_ < interval_) {
      ++held_;
      return false;
    }
    written_ = true;
    last_ = now;
    suppressed = held_;
    held_ = 0;
    return true;
  }

 private:
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  bool written_ = false;
  std::chrono::steady_clock::time_point last_{};
  uint64_t held_ = 0;
};

}  // namespace nebula::host
