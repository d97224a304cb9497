#include "windowed_distribution.hpp"

#include <cmath>

namespace nebula::network_monitor {

WindowedDistribution::WindowedDistribution(uint32_t k, double window_s)
    : k_(k), window_s_(window_s), current_(k), previous_(k) {}

void WindowedDistribution::add(double time, double value) {
  if (!std::isfinite(value)) return;
  if (window_s_ > 0) {
    const auto window = static_cast<int64_t>(std::floor(time / window_s_));
    if (!started_) {
      window_ = window;
      started_ = true;
    } else if (window > window_) {
      // Moving on: the current window becomes the previous one, unless more
      // than one window passed without samples.
      previous_ = window == window_ + 1 ? std::move(current_) : Part(k_);
      current_ = Part(k_);
      window_ = window;
    }
    // A sample for an older window (out of order) counts in the current one.
  }
  current_.sketch.insert(value);
  current_.sum += value;
}

DistributionSummary WindowedDistribution::summary() const {
  KllSketch merged = current_.sketch;
  merged.merge(previous_.sketch);
  DistributionSummary s;
  s.count = merged.count();
  if (s.count == 0) return s;
  s.min = merged.min();
  s.max = merged.max();
  s.mean = (current_.sum + previous_.sum) / static_cast<double>(s.count);
  const auto q = merged.quantiles({0.50, 0.95, 0.99});
  s.p50 = q[0];
  s.p95 = q[1];
  s.p99 = q[2];
  return s;
}

}  // namespace nebula::network_monitor
