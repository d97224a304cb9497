#include "runtime/timer_service.hpp"

namespace nebula::host {

TimerService::TimerService() : thread_([this] { run(); }) {}

TimerService::~TimerService() { stop(); }

void TimerService::schedule(const void* owner, std::chrono::milliseconds delay, std::chrono::milliseconds period,
                            std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    timers_.emplace(Clock::now() + delay, Timer{owner, period, std::move(fn)});
  }
  cv_.notify_all();
}

void TimerService::cancel(const void* owner) {
  std::unique_lock lock(mu_);
  for (auto it = timers_.begin(); it != timers_.end();)
    it = it->second.owner == owner ? timers_.erase(it) : std::next(it);
  if (running_owner_ == owner) cancel_running_ = true;  // do not re-arm it
  idle_.wait(lock, [&] { return running_owner_ != owner; });
}

void TimerService::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerService::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (timers_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto next = timers_.begin()->first;
    if (Clock::now() < next) {
      cv_.wait_until(lock, next);
      continue;
    }
    Timer timer = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    running_owner_ = timer.owner;
    lock.unlock();
    timer.fn();
    lock.lock();
    running_owner_ = nullptr;
    const bool cancelled = cancel_running_;
    cancel_running_ = false;
    idle_.notify_all();
    if (!cancelled && timer.period.count() > 0) {
      auto owner = timer.owner;
      auto period = timer.period;
      timers_.emplace(Clock::now() + period, Timer{owner, period, std::move(timer.fn)});
    }
  }
}

}  // namespace nebula::host
