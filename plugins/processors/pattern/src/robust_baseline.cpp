#include "nebula_pattern/robust_baseline.hpp"

#include <algorithm>
#include <cmath>

#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

namespace {

// The helpers read an ascending window through `at(i)` (the i-th smallest).

// Median of an ascending window: the upper middle value, averaged with the
// lower one when the count is even (the same arithmetic as nth_element did).
template <class At>
double median_of_sorted(std::size_t n, At at) {
  const std::size_t mid = n / 2;
  if (n % 2 == 1) return at(mid);
  return (at(mid - 1) + at(mid)) / 2;
}

// First i in [0, n) with at(i) >= value (lower) or > value (upper).
template <class At, class Before>
std::size_t partition_point(std::size_t n, At at, Before before) {
  std::size_t lo = 0, hi = n;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (before(at(mid))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Median absolute deviation from `center` of an ascending window without a
// scratch copy or a sort: |x - center| grows walking outwards from `center`
// on either side (rounding is monotonic), so merging the two walks yields the
// deviations in ascending order and the median ones are found after n/2 steps.
template <class At>
double mad_of_sorted(std::size_t n, At at, double center) {
  const std::size_t mid = n / 2;
  std::size_t right = partition_point(n, at, [&](double x) { return x < center; });
  std::size_t left = right;  // at(left - 1) is the next one below center
  double previous = 0, current = 0;
  for (std::size_t taken = 0; taken <= mid; ++taken) {
    previous = current;
    const double down = left > 0 ? std::fabs(at(left - 1) - center) : INFINITY;
    const double up = right < n ? std::fabs(at(right) - center) : INFINITY;
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

// Doubles that hold `window` values and `window` uint16 slots.
std::size_t block_doubles(std::size_t window) {
  return window + (window * sizeof(std::uint16_t) + sizeof(double) - 1) / sizeof(double);
}

}  // namespace

RobustBaseline::RobustBaseline(std::size_t window, std::size_t warmup)
    : window_(static_cast<std::uint32_t>(std::clamp<std::size_t>(window, 1, kMaxWindow))),
      warmup_(static_cast<std::uint32_t>(std::clamp<std::size_t>(warmup, 1, window_))),
      median_(kMissing),
      sigma_(kMissing) {}

RobustBaseline::RobustBaseline(const RobustBaseline& other)
    : window_(other.window_),
      warmup_(other.warmup_),
      size_(other.size_),
      next_(other.next_),
      accepted_(other.accepted_),
      median_(other.median_),
      sigma_(other.sigma_),
      sigma_stale_(other.sigma_stale_) {
  if (!other.block_) return;
  block_ = std::make_unique<double[]>(block_doubles(window_));
  std::copy_n(other.block_.get(), block_doubles(window_), block_.get());
}

RobustBaseline& RobustBaseline::operator=(const RobustBaseline& other) {
  if (this != &other) *this = RobustBaseline(other);
  return *this;
}

void RobustBaseline::add(double value) {
  if (!present(value) || !std::isfinite(value)) return;
  if (!block_) block_ = std::make_unique_for_overwrite<double[]>(block_doubles(window_));
  double* values = ring();
  std::uint16_t* slots = order();
  const auto at = [&](std::size_t i) { return values[slots[i]]; };
  std::size_t slot;
  if (size_ < window_) {
    slot = size_++;
  } else {
    // The oldest leaves: the first slot holding its value that is its own
    // (equal values are interchangeable for every statistic kept here).
    slot = next_;
    std::size_t at_old = partition_point(window_, at, [&](double x) { return x < values[slot]; });
    while (slots[at_old] != slot) ++at_old;
    std::copy(slots + at_old + 1, slots + window_, slots + at_old);
    next_ = (next_ + 1) % window_;
  }
  values[slot] = value;
  const std::size_t held = size_ - 1;  // slots in order now: all but the new value's
  const std::size_t to = partition_point(held, at, [&](double x) { return !(value < x); });  // upper bound
  std::copy_backward(slots + to, slots + held, slots + held + 1);
  slots[to] = static_cast<std::uint16_t>(slot);
  ++accepted_;
  median_ = median_of_sorted(size_, at);
  sigma_stale_ = true;
}

double RobustBaseline::sigma() const {
  if (sigma_stale_) {
    const double* values = ring();
    const std::uint16_t* slots = order();
    sigma_ = 1.4826 * mad_of_sorted(size_, [&](std::size_t i) { return values[slots[i]]; }, median_);
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
