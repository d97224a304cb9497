#include "counter_rate.hpp"

#include <algorithm>
#include <cmath>

#include <nebula_processors/counter_increase.hpp>

namespace nebula::transaction_analyzer {
namespace {

// A perfectly steady baseline has zero variance; flooring the deviation keeps
// z finite while still letting the factor test decide.
constexpr double kMinDeviation = 1e-6;

}  // namespace

RateUpdate CounterRate::add(double time, int64_t count, const BurstRule& rule) {
  RateUpdate u;
  if (!started_) {
    started_ = true;
    last_time_ = time;
    last_count_ = count;
    return u;
  }
  if (time <= last_time_) {  // stale or repeated: no interval to divide by
    ++out_of_order_;
    u.kind = RateUpdate::Kind::OutOfOrder;
    return u;
  }
  u.kind = RateUpdate::Kind::Rate;
  u.reset = count < last_count_;  // node restarted: it has counted `count` since
  u.delta = processors::counter_increase(last_count_, count);
  if (u.reset) ++resets_;
  u.rate = static_cast<double>(u.delta) / (time - last_time_);
  last_time_ = time;
  last_count_ = count;

  u.baseline = mean_;
  if (rate_samples_ >= rule.warmup) {
    const double deviation = std::max(std::sqrt(variance_), kMinDeviation);
    u.z = (u.rate - mean_) / deviation;
    u.burst = u.rate > rule.factor * mean_ && u.z >= rule.z;
  }
  // Incremental EWMA mean and variance (West/Finch). Bursts are folded in too,
  // so a lasting change of level becomes the new normal.
  if (rate_samples_ == 0) {
    mean_ = u.rate;
    variance_ = 0;
  } else {
    const double diff = u.rate - mean_;
    const double step = rule.alpha * diff;
    mean_ += step;
    variance_ = (1 - rule.alpha) * (variance_ + diff * step);
  }
  ++rate_samples_;
  rate_ = u.rate;
  return u;
}

}  // namespace nebula::transaction_analyzer
