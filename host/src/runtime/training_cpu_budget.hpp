// How much CPU the agents' training may use together: `training.cpu_limit`
// cores as a long-run average, shared by every agent's training thread.
//
// A token bucket of CPU seconds: it fills at `cores` CPU-seconds per second
// of wall time, up to `burst` seconds' worth, and each learn() is charged the
// CPU its thread used. A thread whose turn comes while the bucket is in debt
// waits until the debt is repaid. While it waits its reservoir goes on
// sampling uniformly what is offered (training_reservoir.hpp), so a pool
// under load trains on a counted sample instead of taking CPU from ingest and
// the processors: training keeps up, or degrades visibly
// (nebula_training_sample_rate, nebula_training_throttled_seconds_total).
//
// Why not only SCHED_IDLE: on two cores the pool's own stages measurably slow
// down beside busy idle-priority threads (docs/benchmarks.md); idle priority
// decides who runs first, not how much training costs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace nebula::host {

class TrainingCpuBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // `cores` <= 0: no limit (wait_for_turn never waits). `burst`: how much
  // unused allowance a quiet period banks, in seconds of the limit.
  explicit TrainingCpuBudget(double cores, std::chrono::duration<double> burst = std::chrono::seconds(2));

  bool limited() const { return cores_ > 0; }
  double cores() const { return cores_; }

  // [training thread] Returns once the bucket is out of debt, or at once
  // when `stop()` is true (checked again after every wake_all()). Returns
  // how long it waited.
  std::chrono::duration<double> wait_for_turn(const std::function<bool()>& stop);
  // [training thread] Charges the CPU seconds one learn() used.
  void charge(double cpu_seconds);
  // [any thread] Wakes every waiter to re-check its stop predicate.
  void wake_all();

  // [training thread] CPU seconds the calling thread has used so far.
  static double thread_cpu_seconds();

 private:
  void refill(Clock::time_point now);  // under mu_

  const double cores_;
  const double capacity_;  // CPU seconds the bucket holds at most
  std::mutex mu_;
  std::condition_variable cv_;
  double tokens_;          // CPU seconds available; negative = debt
  Clock::time_point filled_at_;
};

}  // namespace nebula::host
