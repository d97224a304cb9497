// One thread that runs plugin timer callbacks (host->schedule). Callbacks
// are grouped by owner so an instance's timers can be cancelled before it
// is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace nebula::host {

class TimerService {
 public:
  using Clock = std::chrono::steady_clock;
  TimerService();
  ~TimerService();

  // Runs fn after delay, then every period (zero = once).
  void schedule(const void* owner, std::chrono::milliseconds delay, std::chrono::milliseconds period,
                std::function<void()> fn);
  // Removes every timer of owner; waits if one of them is running now.
  void cancel(const void* owner);
  void stop();

 private:
  struct Timer {
    const void* owner;
    std::chrono::milliseconds period;
    std::function<void()> fn;
  };
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, Timer> timers_;
  const void* running_owner_ = nullptr;
  bool cancel_running_ = false;
  std::condition_variable idle_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nebula::host
