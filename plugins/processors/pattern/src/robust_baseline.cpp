#include "nebula_pattern/robust_baseline.hpp"

#include <algorithm>
#include <cmath>

#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

namespace {

// Median of an ascending window: the upper middle value, averaged with the
// lower one when the count is even (the same arithmetic as nth_element did).
double median_of_sorted(const std::vector<double>& v) {
  const std::size_t mid = v.size() / 2;
  if (v.size() % 2 == 1) return v[mid];
  return (v[mid - 1] + v[mid]) / 2;
}

// Median absolute deviation from `center` of an ascending window without a
// scratch copy or a sort: |x - center| grows walking outwards from `center`
// on either side (rounding is monotonic), so merging the two walks yields the
// deviations in ascending order and the median ones are found after n/2 steps.
double mad_of_sorted(const std::vector<double>& v, double center) {
  const std::size_t n = v.size();
  const std::size_t mid = n / 2;
  std::size_t right = static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), center) - v.begin());
  std::size_t left = right;  // v[left - 1] is the next one below center
  double previous = 0, current = 0;
  for (std::size_t taken = 0; taken <= mid; ++taken) {
    previous = current;
    const double down = left > 0 ? std::fabs(v[left - 1] - center) : INFINITY;
    const double up = right < n ? std::fabs(v[right] - center) : INFINITY;
    if (down <= up) {
      current = down;
      --left;
    } else {
      current = up;
      ++right;
    }
  }
  return n % 2 == 1 ? current : (previous + current) / 2;
}

}  // namespace

RobustBaseline::RobustBaseline(std::size_t window, std::size_t warmup)
    : window_(std::max<std::size_t>(window, 1)),
      warmup_(std::min(std::max<std::size_t>(warmup, 1), std::max<std::size_t>(window, 1))),
      median_(kMissing),
      sigma_(kMissing) {
  ring_.reserve(window_);
  sorted_.reserve(window_);
}

void RobustBaseline::add(double value) {
  if (!present(value) || !std::isfinite(value)) return;
  if (ring_.size() < window_) {
    ring_.push_back(value);
  } else {
    sorted_.erase(std::lower_bound(sorted_.begin(), sorted_.end(), ring_[next_]));
    ring_[next_] = value;
    next_ = (next_ + 1) % window_;
  }
  sorted_.insert(std::upper_bound(sorted_.begin(), sorted_.end(), value), value);
  ++accepted_;
  median_ = median_of_sorted(sorted_);
  sigma_stale_ = true;
}

double RobustBaseline::sigma() const {
  if (sigma_stale_) {
    sigma_ = 1.4826 * mad_of_sorted(sorted_, median_);
    sigma_stale_ = false;
  }
  return sigma_;
}

double RobustBaseline::z(double value, double rel_floor) const {
  if (!present(median_) || !present(value)) return kMissing;
  const double scale = std::max({sigma(), rel_floor * std::fabs(median_), 1e-9});
  return std::fabs(value - median_) / scale;
}

}  // namespace nebula::pattern
