#include <gtest/gtest.h>

#include "counter_rate.hpp"

using nebula::transaction_analyzer::BurstRule;
using nebula::transaction_analyzer::CounterRate;
using Kind = nebula::transaction_analyzer::RateUpdate::Kind;

TEST(CounterRate, RateFromDeltas) {
  CounterRate c;
  EXPECT_EQ(c.add(0, 1000, {}).kind, Kind::First);
  EXPECT_FALSE(c.has_rate());
  auto u = c.add(10, 1500, {});
  EXPECT_EQ(u.kind, Kind::Rate);
  EXPECT_EQ(u.delta, 500);
  EXPECT_DOUBLE_EQ(u.rate, 50.0);
}

TEST(CounterRate, ResetTakesTheNewValueAsTheDelta) {
  CounterRate c;
  c.add(0, 1000, {});
  c.add(10, 1500, {});
  auto u = c.add(20, 200, {});  // node restarted and has counted 200 since
  EXPECT_TRUE(u.reset);
  EXPECT_EQ(u.delta, 200);
  EXPECT_DOUBLE_EQ(u.rate, 20.0);
  EXPECT_EQ(c.resets(), 1u);
  EXPECT_DOUBLE_EQ(c.add(30, 500, {}).rate, 30.0) << "counting continues from the reset value";
}

TEST(CounterRate, OutOfOrderSamplesAreCountedAndIgnored) {
  CounterRate c;
  c.add(0, 0, {});
  c.add(10, 100, {});
  EXPECT_EQ(c.add(5, 50, {}).kind, Kind::OutOfOrder);
  EXPECT_EQ(c.add(10, 100, {}).kind, Kind::OutOfOrder) << "same timestamp: no interval";
  EXPECT_EQ(c.out_of_order(), 2u);
  EXPECT_EQ(c.resets(), 0u) << "the late lower value is not a reset";
  EXPECT_DOUBLE_EQ(c.rate(), 10.0);
  EXPECT_DOUBLE_EQ(c.add(20, 300, {}).rate, 20.0) << "measured from the last in-order sample";
}

TEST(CounterRate, BurstNeedsFactorZAndWarmup) {
  BurstRule rule;  // alpha 0.2, warm-up 5, factor 4, z 3
  CounterRate c;
  int64_t count = 0;
  double t = 0;
  auto step = [&](double rate) {
    t += 1;
    count += static_cast<int64_t>(rate);
    return c.add(t, count, rule);
  };
  c.add(0, 0, rule);
  EXPECT_FALSE(step(10).burst);
  EXPECT_FALSE(step(100).burst) << "still warming up";
  for (int i = 0; i < 40; ++i) step(i % 2 ? 9 : 11);  // settle around 10 +- 1
  auto below_factor = step(35);
  EXPECT_FALSE(below_factor.burst) << "3.5x is under the factor even with a large z (" << below_factor.z << ")";
  for (int i = 0; i < 40; ++i) step(i % 2 ? 9 : 11);
  auto burst = step(50);
  EXPECT_TRUE(burst.burst);
  EXPECT_NEAR(burst.baseline, 10, 1.0);
  EXPECT_GT(burst.z, 3);
}

TEST(CounterRate, ZThresholdGuardsNoisyBaselines) {
  BurstRule rule;
  rule.z = 5;
  CounterRate c;
  int64_t count = 0;
  c.add(0, 0, rule);
  for (int i = 1; i <= 60; ++i) c.add(i, count += (i % 2 ? 1 : 19), rule);  // mean 10, deviation ~9
  count += 45;
  auto u = c.add(61, count, rule);
  EXPECT_GT(u.rate, 4 * u.baseline);
  EXPECT_LT(u.z, 5);
  EXPECT_FALSE(u.burst);
}
