#include "runtime/timer_service.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "nebula_test/wait.hpp"

using namespace std::chrono_literals;

TEST(TimerService, PeriodicTimersRepeatUntilCancelled) {
  nebula::host::TimerService timers;
  std::atomic<int> ticks{0};
  int owner = 0;
  timers.schedule(&owner, 0ms, 5ms, [&] { ++ticks; });
  ASSERT_TRUE(nebula_test::wait_until([&] { return ticks >= 3; }));
  timers.cancel(&owner);
  const int after_cancel = ticks;
  // Another timer firing twice proves time passed without the cancelled one.
  std::atomic<int> other{0};
  int owner2 = 0;
  timers.schedule(&owner2, 0ms, 5ms, [&] { ++other; });
  ASSERT_TRUE(nebula_test::wait_until([&] { return other >= 3; }));
  EXPECT_EQ(ticks, after_cancel);
}
