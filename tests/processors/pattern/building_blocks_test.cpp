// RobustBaseline and Episode: the two pieces every detector leans on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <vector>

#include "nebula_pattern/episode.hpp"
#include "nebula_pattern/robust_baseline.hpp"

namespace nebula::pattern {
namespace {

TEST(RobustBaseline, WarmsUpThenTracksTheMedianOfItsWindow) {
  RobustBaseline b(5, 3);
  b.add(10);
  b.add(12);
  EXPECT_FALSE(b.ready());
  b.add(kMissing);  // ignored
  EXPECT_FALSE(b.ready());
  b.add(11);
  EXPECT_TRUE(b.ready());
  EXPECT_DOUBLE_EQ(b.median(), 11);
  for (double v : {100.0, 100.0, 100.0, 100.0, 100.0}) b.add(v);
  EXPECT_DOUBLE_EQ(b.median(), 100) << "old values leave the window";
}

TEST(RobustBaseline, OneSpikeDoesNotMoveTheMedian) {
  RobustBaseline b(9, 3);
  for (double v : {10.0, 11.0, 9.0, 10.0, 1000.0, 10.0, 11.0}) b.add(v);
  EXPECT_DOUBLE_EQ(b.median(), 10);
  EXPECT_LT(b.sigma(), 2);
}

TEST(RobustBaseline, ZScoreIsFlooredOnAFlatHistory) {
  RobustBaseline b(8, 3);
  for (int i = 0; i < 8; ++i) b.add(12);
  EXPECT_DOUBLE_EQ(b.sigma(), 0);
  // Floor 5 % of 12 = 0.6: one peer less is 1.67 sigma, not infinity.
  EXPECT_NEAR(b.z(11, 0.05), 1.0 / 0.6, 1e-9);
}

// The compact window (values in a ring, their order as slots) against the
// definition: median and MAD of a sorted copy of the last `window` values,
// on streams full of repeated values (the hard case for removing the oldest).
TEST(RobustBaseline, EqualsTheMedianAndMadOfASortedCopyOfItsWindow) {
  std::mt19937 rng(7);
  for (std::size_t window : {1u, 2u, 5u, 32u, 100u}) {
    RobustBaseline b(window, 1);
    std::deque<double> last;
    std::uniform_int_distribution<int> pick(0, 9);
    for (int i = 0; i < 2000; ++i) {
      const double v = i % 7 == 0 ? pick(rng) * 1.5 : pick(rng);  // few distinct values
      b.add(v);
      last.push_back(v);
      if (last.size() > window) last.pop_front();
      std::vector<double> sorted(last.begin(), last.end());
      std::sort(sorted.begin(), sorted.end());
      const std::size_t n = sorted.size();
      const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      std::vector<double> dev;
      for (double x : sorted) dev.push_back(std::fabs(x - median));
      std::sort(dev.begin(), dev.end());
      const double mad = n % 2 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
      ASSERT_EQ(b.median(), median) << "window " << window << " after " << i + 1 << " values";
      ASSERT_EQ(b.sigma(), 1.4826 * mad) << "window " << window << " after " << i + 1 << " values";
    }
    // A copy goes on exactly as the original.
    RobustBaseline copy = b;
    copy.add(3);
    b.add(3);
    EXPECT_EQ(copy.median(), b.median());
    EXPECT_EQ(copy.sigma(), b.sigma());
  }
}

TEST(RobustBaseline, NaNAndInfinityAreIgnored) {
  RobustBaseline b(3, 1);
  b.add(NAN);
  b.add(INFINITY);
  EXPECT_EQ(b.accepted(), 0u);
  b.add(2);
  EXPECT_EQ(b.median(), 2);
}

TEST(Episode, OpensAfterSustainClosesAfterClear) {
  Episode e;
  using C = Episode::Change;
  EXPECT_EQ(e.step(true, 1, 3, 2), C::None);
  EXPECT_EQ(e.step(false, 2, 3, 2), C::None) << "a broken run resets";
  EXPECT_TRUE(e.idle());
  EXPECT_EQ(e.step(true, 3, 3, 2), C::None);
  EXPECT_EQ(e.step(true, 4, 3, 2), C::None);
  EXPECT_EQ(e.step(true, 5, 3, 2), C::Started);
  EXPECT_DOUBLE_EQ(e.first_anomalous(), 3);
  EXPECT_EQ(e.step(false, 6, 3, 2), C::None);
  EXPECT_EQ(e.step(true, 7, 3, 2), C::None) << "one normal sample does not end it";
  EXPECT_EQ(e.step(false, 8, 3, 2), C::None);
  EXPECT_EQ(e.step(false, 9, 3, 2), C::Ended);
  EXPECT_DOUBLE_EQ(e.clear_start(), 8);
  EXPECT_TRUE(e.idle());
}

TEST(Episode, SustainOfOneStartsImmediately) {
  Episode e;
  EXPECT_EQ(e.step(true, 1, 1, 1), Episode::Change::Started);
  EXPECT_EQ(e.step(false, 2, 1, 1), Episode::Change::Ended);
}

}  // namespace
}  // namespace nebula::pattern
