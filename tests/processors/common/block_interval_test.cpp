// Block intervals come from height changes over time, not from the spacing
// of samples (issue #14).
#include <cmath>

#include <gtest/gtest.h>

#include <nebula_processors/block_interval.hpp>

using nebula::processors::HeightClock;
using nebula::processors::HeightStep;

namespace {

// A chain producing one block every `block_s` from height 1000 at t = 0,
// sampled by one node every `sample_s` starting at `offset_s`; returns the
// mean of the intervals the clock measured.
double measured_interval(double block_s, double sample_s, double offset_s, int samples, int* measured = nullptr) {
  HeightClock clock;
  double sum = 0;
  int n = 0;
  for (int i = 0; i < samples; ++i) {
    const double t = offset_s + sample_s * i;
    const HeightStep step = clock.observe(t, 1000 + std::floor(t / block_s));
    if (std::isfinite(step.seconds_per_block)) {
      sum += step.seconds_per_block;
      ++n;
    }
  }
  if (measured) *measured = n;
  return n ? sum / n : std::nan("");
}

}  // namespace

TEST(HeightClock, MainNetSampledEveryFiveSecondsHasThirtySecondBlocks) {
  int measured = 0;
  // Phase 2 s: the first block arrives 28 s after the first sample.
  const double mean = measured_interval(30, 5, 2, 6 * 40 + 1, &measured);
  EXPECT_EQ(measured, 40);  // one interval per block, none per repeated height
  EXPECT_NEAR(mean, 30.0, 0.1);
}

TEST(HeightClock, TestNetSampledEveryFiveSecondsHasFiveSecondBlocks) {
  EXPECT_NEAR(measured_interval(5, 5, 1, 100), 5.0, 1e-9);
}

TEST(HeightClock, SamplingSlowerThanBlocksDividesByTheBlocksItRose) {
  EXPECT_NEAR(measured_interval(5, 30, 0, 20), 5.0, 1e-9);  // 6 blocks per sample
}

TEST(HeightClock, RepeatedHeightsMeasureNothingAndKeepTheClock) {
  HeightClock clock;
  EXPECT_TRUE(clock.observe(0, 10).changed);  // the first height starts the clock
  for (double t : {5.0, 10.0, 15.0}) {
    const HeightStep same = clock.observe(t, 10);
    EXPECT_FALSE(same.changed);
    EXPECT_TRUE(std::isnan(same.seconds_per_block));
  }
  EXPECT_DOUBLE_EQ(clock.changed_at(), 0.0);
  const HeightStep rose = clock.observe(20, 12);
  EXPECT_TRUE(rose.changed);
  EXPECT_DOUBLE_EQ(rose.blocks, 2.0);
  EXPECT_DOUBLE_EQ(rose.seconds_per_block, 10.0);  // 20 s since 10 was first seen, 2 blocks
}

TEST(HeightClock, AResetRestartsTheClockWithoutAnInterval) {
  HeightClock clock;
  clock.observe(0, 500);
  const HeightStep reset = clock.observe(30, 3);
  EXPECT_TRUE(reset.changed);
  EXPECT_TRUE(std::isnan(reset.blocks));
  EXPECT_TRUE(std::isnan(reset.seconds_per_block));
  EXPECT_DOUBLE_EQ(clock.observe(60, 4).seconds_per_block, 30.0);
}

TEST(HeightClock, RestoredClockContinues) {
  HeightClock clock;
  clock.restore(100, 40);
  EXPECT_DOUBLE_EQ(clock.observe(100, 102).seconds_per_block, 30.0);
}
