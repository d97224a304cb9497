#include "nebula_pattern/robust_baseline.hpp"

#include <algorithm>
#include <cmath>

#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

namespace {

// Median of a scratch copy (nth_element; windows are small).
double median_of(std::vector<double>& v) {
  const std::size_t n = v.size();
  const std::size_t mid = n / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  double hi = v[mid];
  if (n % 2 == 1) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lo + hi) / 2;
}

}  // namespace

RobustBaseline::RobustBaseline(std::size_t window, std::size_t warmup)
    : window_(std::max<std::size_t>(window, 1)),
      warmup_(std::min(std::max<std::size_t>(warmup, 1), std::max<std::size_t>(window, 1))),
      median_(kMissing),
      sigma_(kMissing) {
  ring_.reserve(window_);
}

void RobustBaseline::add(double value) {
  if (!present(value) || !std::isfinite(value)) return;
  if (ring_.size() < window_) {
    ring_.push_back(value);
  } else {
    ring_[next_] = value;
    next_ = (next_ + 1) % window_;
  }
  ++accepted_;
  refresh();
}

void RobustBaseline::refresh() {
  std::vector<double> scratch(ring_);
  median_ = median_of(scratch);
  for (double& x : scratch) x = std::fabs(x - median_);
  sigma_ = 1.4826 * median_of(scratch);
}

double RobustBaseline::z(double value, double rel_floor) const {
  if (!present(median_) || !present(value)) return kMissing;
  const double scale = std::max({sigma_, rel_floor * std::fabs(median_), 1e-9});
  return std::fabs(value - median_) / scale;
}

}  // namespace nebula::pattern
