// The priority bands of recommendations_active{action, priority}.
#include <gtest/gtest.h>

#include "nebula_decision/priority_band.hpp"

namespace nebula::decision::testing {
namespace {

TEST(PriorityBand, CutsAtTheAlertSeverities) {
  EXPECT_EQ(priority_band(1.0), "high");
  EXPECT_EQ(priority_band(0.75), "high");
  EXPECT_EQ(priority_band(0.749), "medium");
  EXPECT_EQ(priority_band(0.5), "medium");
  EXPECT_EQ(priority_band(0.499), "low");
  EXPECT_EQ(priority_band(0.0), "low");
}

}  // namespace
}  // namespace nebula::decision::testing
