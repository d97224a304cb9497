// The streaming RobustBaseline against the implementation it replaced (a
// copy of the window, nth_element twice per value): the same median and
// sigma, bit for bit, after every value, for every window size the config
// allows in practice, on noisy, spiky, repetitive and integer data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "nebula_pattern/robust_baseline.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {
namespace {

// The previous RobustBaseline, verbatim in its arithmetic.
class SortingBaseline {
 public:
  explicit SortingBaseline(std::size_t window) : window_(std::max<std::size_t>(window, 1)) {}

  void add(double value) {
    if (!present(value) || !std::isfinite(value)) return;
    if (ring_.size() < window_) {
      ring_.push_back(value);
    } else {
      ring_[next_] = value;
      next_ = (next_ + 1) % window_;
    }
    std::vector<double> scratch(ring_);
    median_ = median_of(scratch);
    for (double& x : scratch) x = std::fabs(x - median_);
    sigma_ = 1.4826 * median_of(scratch);
  }
  double median() const { return median_; }
  double sigma() const { return sigma_; }

 private:
  static double median_of(std::vector<double>& v) {
    const std::size_t n = v.size();
    const std::size_t mid = n / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    double hi = v[mid];
    if (n % 2 == 1) return hi;
    double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lo + hi) / 2;
  }

  std::size_t window_;
  std::vector<double> ring_;
  std::size_t next_ = 0;
  double median_ = kMissing;
  double sigma_ = kMissing;
};

// Latency-like noise with spikes, small integers (peer counts: many ties),
// a constant run, and the odd missing or infinite value.
double draw(std::mt19937_64& rng, int shape) {
  std::uniform_real_distribution<double> u(0, 1);
  switch (shape) {
    case 0: return 80 + 10 * std::normal_distribution<double>(0, 1)(rng) + (u(rng) < 0.05 ? 500 : 0);
    case 1: return static_cast<double>(std::uniform_int_distribution<int>(0, 6)(rng));
    case 2: return 42.5;
    default: {
      const double r = u(rng);
      if (r < 0.1) return kMissing;
      if (r < 0.15) return INFINITY;
      return 1e-3 * u(rng) - 5e-4;
    }
  }
}

TEST(RobustBaselineEquivalence, SameMedianAndSigmaAsTheSortAfterEveryValue) {
  std::mt19937_64 rng(15);
  for (std::size_t window : {1u, 2u, 3u, 4u, 7u, 12u, 31u, 32u, 33u, 64u}) {
    for (int shape = 0; shape < 4; ++shape) {
      RobustBaseline streaming(window, 1);
      SortingBaseline sorting(window);
      for (int i = 0; i < 500; ++i) {
        const double v = draw(rng, shape);
        streaming.add(v);
        sorting.add(v);
        // Bitwise: NaN before the first value, then exactly equal doubles.
        ASSERT_EQ(std::isnan(streaming.median()), std::isnan(sorting.median()));
        if (std::isnan(sorting.median())) continue;
        ASSERT_EQ(streaming.median(), sorting.median()) << "window " << window << " shape " << shape << " i " << i;
        ASSERT_EQ(streaming.sigma(), sorting.sigma()) << "window " << window << " shape " << shape << " i " << i;
      }
    }
  }
}

}  // namespace
}  // namespace nebula::pattern
