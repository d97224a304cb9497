// One reset rule for cumulative counters, in double and integer form.
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include <nebula_processors/counter_increase.hpp>

using nebula::processors::counter_increase;

TEST(CounterIncrease, GrowingCounterGivesTheDifference) { EXPECT_DOUBLE_EQ(counter_increase(100.0, 250.0), 150.0); }

TEST(CounterIncrease, ADropMeansARestartFromZero) {
  EXPECT_DOUBLE_EQ(counter_increase(900.0, 40.0), 40.0);  // restarted, counted 40 since
  EXPECT_EQ(counter_increase(int64_t{900}, int64_t{40}), 40);
}

TEST(CounterIncrease, IntegerCountersKeepTheirType) {
  const int64_t big = (int64_t{1} << 60) + 1;  // beyond a double's exact range
  EXPECT_EQ(counter_increase(big, big + 3), 3);
  EXPECT_EQ(counter_increase(int64_t{7}, int64_t{7}), 0);
}

TEST(CounterIncrease, AMissingSideIsUnknown) {
  EXPECT_TRUE(std::isnan(counter_increase(std::nan(""), 5.0)));
  EXPECT_TRUE(std::isnan(counter_increase(5.0, std::nan(""))));
}
