// EWMA baselines against hand-computed values.
#include <cmath>

#include <gtest/gtest.h>

#include "baseline.hpp"

using namespace nebula::memory;

namespace {
MetricValues latency(double v) {
  MetricValues m = no_values();
  m[kLatency] = v;
  return m;
}
}  // namespace

TEST(Ewma, KnownAnswers) {
  Ewma e;
  e.add(10, 0.5);
  EXPECT_EQ(e.mean, 10);
  EXPECT_EQ(e.var, 0);
  e.add(20, 0.5);  // diff 10, inc 5: mean 15, var 0.5 * (0 + 10 * 5) = 25
  EXPECT_DOUBLE_EQ(e.mean, 15);
  EXPECT_DOUBLE_EQ(e.var, 25);
  EXPECT_DOUBLE_EQ(e.stddev(), 5);
  e.add(20, 0.5);  // diff 5, inc 2.5: mean 17.5, var 0.5 * (25 + 12.5) = 18.75
  EXPECT_DOUBLE_EQ(e.mean, 17.5);
  EXPECT_DOUBLE_EQ(e.var, 18.75);
  EXPECT_EQ(e.count, 3u);
}

TEST(Baseline, ZScoreIsAgainstTheBaselineBeforeTheSample) {
  Baseline b;
  b.observe(latency(10), 1, 0.5, 2);
  auto d = b.observe(latency(20), 2, 0.5, 2);
  EXPECT_TRUE(std::isnan(d.z[kLatency]));  // only 1 value before: too young
  d = b.observe(latency(35), 3, 0.5, 2);   // before: mean 15, std 5
  EXPECT_DOUBLE_EQ(d.reference_mean[kLatency], 15);
  EXPECT_DOUBLE_EQ(d.reference_spread[kLatency], 5);
  EXPECT_DOUBLE_EQ(d.z[kLatency], 4);
  EXPECT_TRUE(std::isnan(d.z[kPeers]));  // absent metric
  EXPECT_EQ(b.samples, 3u);
  EXPECT_EQ(b.first_seen, 1);
  EXPECT_EQ(b.last_seen, 3);
}

TEST(Baseline, SpreadIsAtLeastFivePercentOfTheMean) {
  Baseline b;
  for (int i = 0; i < 5; ++i) b.observe(latency(100), i, 0.1, 3);
  auto d = b.observe(latency(110), 5, 0.1, 3);  // constant series: spread floor 5 -> z = 2
  EXPECT_DOUBLE_EQ(d.z[kLatency], 2);
}

TEST(Baseline, JsonRoundTripAndDamage) {
  Baseline b;
  for (double v : {3.0, 9.0, 4.5}) b.observe(latency(v), v, 0.2, 1);
  Baseline c = Baseline::from_json(nlohmann::json::parse(b.to_json().dump()));
  EXPECT_DOUBLE_EQ(c.metrics[kLatency].mean, b.metrics[kLatency].mean);
  EXPECT_DOUBLE_EQ(c.metrics[kLatency].var, b.metrics[kLatency].var);
  EXPECT_EQ(c.metrics[kLatency].count, 3u);
  EXPECT_EQ(c.metrics[kPeers].count, 0u);
  EXPECT_EQ(c.samples, 3u);
  auto bad = b.to_json();
  bad["metrics"]["peers"] = {1, -2, 3};
  EXPECT_THROW(Baseline::from_json(bad), std::exception);
  bad = b.to_json();
  bad["metrics"].erase("cpu_usage");
  EXPECT_THROW(Baseline::from_json(bad), std::exception);
}
