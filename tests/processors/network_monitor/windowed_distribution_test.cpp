#include <gtest/gtest.h>

#include "windowed_distribution.hpp"

using nebula::network_monitor::WindowedDistribution;

TEST(WindowedDistribution, CoversTheCurrentAndPreviousWindow) {
  WindowedDistribution d(200, 60);
  for (int i = 0; i < 10; ++i) d.add(10 + i, 1000);  // window 0: will age out
  for (int i = 0; i < 10; ++i) d.add(70 + i, 10);    // window 1
  for (int i = 0; i < 10; ++i) d.add(130 + i, 20);   // window 2
  auto s = d.summary();
  EXPECT_EQ(s.count, 20u);
  EXPECT_EQ(s.max, 20);
  EXPECT_DOUBLE_EQ(s.mean, 15);
  EXPECT_EQ(s.p50, 10);
  EXPECT_EQ(s.p95, 20);
}

TEST(WindowedDistribution, AGapForgetsEverything) {
  WindowedDistribution d(200, 60);
  d.add(0, 5);
  d.add(300, 7);  // several empty windows in between
  auto s = d.summary();
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.p50, 7);
}

TEST(WindowedDistribution, ZeroWindowIsCumulative) {
  WindowedDistribution d(200, 0);
  d.add(0, 5);
  d.add(1e6, 7);
  EXPECT_EQ(d.summary().count, 2u);
  EXPECT_EQ(WindowedDistribution(200, 60).summary().count, 0u);
}
