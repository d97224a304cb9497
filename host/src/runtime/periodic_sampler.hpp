// One thread that calls a function every period until stopped: the web
// console's samples of the pool and the agents (runtime_console.cpp). Its
// own thread, not the plugin timer thread, because reading an agent's stats
// may wait for a training step and must not delay plugins' timers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace nebula::host {

class PeriodicSampler {
 public:
  PeriodicSampler() = default;
  ~PeriodicSampler() { stop(); }
  PeriodicSampler(const PeriodicSampler&) = delete;
  PeriodicSampler& operator=(const PeriodicSampler&) = delete;

  // Calls `fn` now, then every `period`. Once only: a second start is ignored.
  void start(std::chrono::milliseconds period, std::function<void()> fn) {
    std::lock_guard lock(mu_);
    if (thread_.joinable() || stopping_) return;
    thread_ = std::thread([this, period, fn = std::move(fn)] {
      std::unique_lock lock(mu_);
      while (!stopping_) {
        lock.unlock();
        fn();
        lock.lock();
        cv_.wait_for(lock, period, [&] { return stopping_; });
      }
    });
  }

  // Waits for a call in progress to finish. Idempotent.
  void stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nebula::host
