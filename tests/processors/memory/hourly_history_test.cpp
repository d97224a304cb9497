// Hourly compaction: bucket boundaries, the bounded ring, late samples.
#include <cmath>

#include <gtest/gtest.h>

#include "hourly_history.hpp"

using namespace nebula::memory;

namespace {
MetricValues latency(double v) {
  MetricValues m = no_values();
  m[kLatency] = v;
  return m;
}
}  // namespace

TEST(HourlyHistory, HourBoundariesAreExact) {
  EXPECT_EQ(HourlyHistory::hour_of(7199.999), 3600);
  EXPECT_EQ(HourlyHistory::hour_of(7200), 7200);
  HourlyHistory h(5);
  h.add(7199.5, latency(10), 1, 10);
  h.add(7200.0, latency(30), 2, 20);  // first second of the next hour: a new summary
  ASSERT_EQ(h.hours().size(), 2u);
  EXPECT_EQ(h.hours()[0].hour_start, 3600);
  EXPECT_EQ(h.hours()[0].samples, 1u);
  EXPECT_EQ(h.hours()[1].hour_start, 7200);
}

TEST(HourlyHistory, SummaryAggregates) {
  HourlyHistory h(5);
  h.add(0, latency(10), 1, 100);
  h.add(60, latency(30), 2, 50);
  h.add(120, no_values(), std::nan(""), std::nan(""));
  const auto s = h.latest()->summary();
  EXPECT_EQ(s["samples"], 3);
  EXPECT_EQ(s["blocks"], 3.0);
  EXPECT_EQ(s["transactions"], 150.0);
  EXPECT_EQ(s["metrics"]["latency_ms"]["count"], 2);
  EXPECT_EQ(s["metrics"]["latency_ms"]["mean"], 20.0);
  EXPECT_EQ(s["metrics"]["latency_ms"]["min"], 10.0);
  EXPECT_EQ(s["metrics"]["latency_ms"]["max"], 30.0);
  EXPECT_TRUE(s["metrics"]["peers"]["mean"].is_null());
}

TEST(HourlyHistory, RingKeepsTheNewestHours) {
  HourlyHistory h(3);
  for (int hour = 0; hour < 5; ++hour) h.add(hour * 3600.0 + 10, latency(hour), 0, 0);
  ASSERT_EQ(h.hours().size(), 3u);
  EXPECT_EQ(h.hours().front().hour_start, 2 * 3600);
  EXPECT_EQ(h.latest()->hour_start, 4 * 3600);
}

TEST(HourlyHistory, LateSamplesMergeIntoTheirHourOrAreRefused) {
  HourlyHistory h(3);
  h.add(2 * 3600 + 5, latency(1), 0, 0);
  h.add(4 * 3600 + 5, latency(1), 0, 0);
  EXPECT_TRUE(h.add(2 * 3600 + 99, latency(1), 0, 0));  // merges into hour 2
  EXPECT_EQ(h.hours().front().samples, 2u);
  EXPECT_TRUE(h.add(3 * 3600 + 1, latency(1), 0, 0));  // gap hour 3 opens in order
  ASSERT_EQ(h.hours().size(), 3u);
  EXPECT_EQ(h.hours()[1].hour_start, 3 * 3600);
  EXPECT_FALSE(h.add(1 * 3600, latency(1), 0, 0));  // older than all kept, ring full
  EXPECT_EQ(h.hours().front().hour_start, 2 * 3600);
}

TEST(HourlyHistory, JsonRoundTripTrimsToCapacityAndChecksOrder) {
  HourlyHistory h(4);
  for (int hour = 0; hour < 4; ++hour) h.add(hour * 3600.0, latency(hour * 2), hour, hour);
  HourlyHistory small(2);
  small.from_json(nlohmann::json::parse(h.to_json().dump()));
  ASSERT_EQ(small.hours().size(), 2u);
  EXPECT_EQ(small.hours()[0].hour_start, 2 * 3600);
  EXPECT_EQ(small.latest()->summary(), h.latest()->summary());
  auto shuffled = h.to_json();
  std::swap(shuffled[0], shuffled[1]);
  EXPECT_THROW(small.from_json(shuffled), std::exception);
  EXPECT_THROW(small.from_json(nlohmann::json::object()), std::exception);
}
