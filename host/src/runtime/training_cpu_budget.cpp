#include "runtime/training_cpu_budget.hpp"

#include <time.h>

#include <algorithm>

namespace nebula::host {

TrainingCpuBudget::TrainingCpuBudget(double cores, std::chrono::duration<double> burst)
    : cores_(std::max(cores, 0.0)),
      capacity_(cores_ * std::max(burst.count(), 0.0)),
      tokens_(capacity_),
      filled_at_(Clock::now()) {}

void TrainingCpuBudget::refill(Clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - filled_at_).count();
  tokens_ = std::min(capacity_, tokens_ + elapsed * cores_);
  filled_at_ = now;
}

std::chrono::duration<double> TrainingCpuBudget::wait_for_turn(const std::function<bool()>& stop) {
  if (!limited()) return {};
  const auto started = Clock::now();
  std::unique_lock lock(mu_);
  for (;;) {
    const auto now = Clock::now();
    refill(now);
    if (tokens_ >= 0 || stop()) break;
    // The debt is repaid at `cores_` per second; another thread's charge
    // can only push that further out, so waking then is never too early
    // to re-check. At most a second at a time: a tiny limit's wait would
    // overflow the clock's duration.
    const double seconds = std::min(-tokens_ / cores_, 1.0);
    cv_.wait_until(lock, now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)));
  }
  return Clock::now() - started;
}

void TrainingCpuBudget::charge(double cpu_seconds) {
  if (!limited() || cpu_seconds <= 0) return;
  std::lock_guard lock(mu_);
  refill(Clock::now());
  tokens_ -= cpu_seconds;
}

void TrainingCpuBudget::wake_all() {
  { std::lock_guard lock(mu_); }  // a waiter between its check and its wait sees the change first
  cv_.notify_all();
}

double TrainingCpuBudget::thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace nebula::host
