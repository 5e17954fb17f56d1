// FakeClock: time moves only when a test moves it; timers fire in (deadline, scheduling order).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/fake_runtime.hpp"

namespace iscsi::test {
namespace {

using namespace std::chrono_literals;

runtime::TimePoint at(runtime::Duration d) { return runtime::TimePoint{d}; }

TEST(FakeClock, StartsAtTheEpochAndMapsToAFixedUnixTime) {
  FakeClock clock;
  EXPECT_EQ(clock.now(), at(0ns));
  EXPECT_EQ(clock.unix_time_ns(), FakeClock::kUnixStartNs);
  clock.advance_to(at(1500ms));
  EXPECT_EQ(clock.now(), at(1500ms));
  EXPECT_EQ(clock.unix_time_ns(), FakeClock::kUnixStartNs + 1'500'000'000);
}

TEST(FakeClock, FiresByDeadlineThenBySchedulingOrder) {
  FakeClock clock;
  std::vector<std::string> fired;
  clock.schedule_at(at(30ms), [&] { fired.push_back("30a"); });
  clock.schedule_at(at(10ms), [&] { fired.push_back("10a"); });
  clock.schedule_at(at(30ms), [&] { fired.push_back("30b"); });
  clock.schedule_at(at(20ms), [&] { fired.push_back("20"); });
  clock.schedule_at(at(10ms), [&] { fired.push_back("10b"); });
  clock.schedule_at(at(30ms), [&] { fired.push_back("30c"); });
  clock.advance_to(at(100ms));
  EXPECT_EQ(fired, (std::vector<std::string>{"10a", "10b", "20", "30a", "30b", "30c"}));
  EXPECT_EQ(clock.pending_timers(), 0u);
}

TEST(FakeClock, FiresOnlyDueTimersAndShowsTheDeadlineAsNow) {
  FakeClock clock;
  std::vector<runtime::TimePoint> seen;
  clock.schedule_at(at(10ms), [&] { seen.push_back(clock.now()); });
  clock.schedule_at(at(20ms), [&] { seen.push_back(clock.now()); });
  clock.schedule_at(at(21ms), [&] { seen.push_back(clock.now()); });
  clock.advance_to(at(20ms));  // a deadline equal to the target time is due
  EXPECT_EQ(seen, (std::vector<runtime::TimePoint>{at(10ms), at(20ms)}));
  EXPECT_EQ(clock.now(), at(20ms));
  EXPECT_EQ(clock.pending_timers(), 1u);
  clock.advance_by(1ms);
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen.back(), at(21ms));
}

TEST(FakeClock, NeverMovesBackwards) {
  FakeClock clock;
  clock.advance_to(at(50ms));
  clock.advance_to(at(10ms));
  EXPECT_EQ(clock.now(), at(50ms));
}

TEST(FakeClock, ScheduleAfterIsRelativeToNow) {
  FakeClock clock;
  clock.advance_to(at(100ms));
  bool fired = false;
  clock.schedule_after(5ms, [&] { fired = true; });
  clock.advance_to(at(104ms));
  EXPECT_FALSE(fired);
  clock.advance_to(at(105ms));
  EXPECT_TRUE(fired);
}

// TimerService contract: callbacks never run from inside schedule(); a deadline in the past
// fires at the next advance, at the current time.
TEST(FakeClock, PastDeadlineFiresOnTheNextAdvanceNotInsideSchedule) {
  FakeClock clock;
  clock.advance_to(at(100ms));
  runtime::TimePoint fired_at{};
  bool fired = false;
  clock.schedule_at(at(40ms), [&] {
    fired = true;
    fired_at = clock.now();
  });
  EXPECT_FALSE(fired);
  clock.advance_by(0ns);
  EXPECT_TRUE(fired);
  EXPECT_EQ(fired_at, at(100ms));
}

TEST(FakeClock, CancelledTimerNeverFires) {
  FakeClock clock;
  int fired = 0;
  const runtime::TimerId keep = clock.schedule_at(at(10ms), [&] { fired += 1; });
  const runtime::TimerId drop = clock.schedule_at(at(10ms), [&] { fired += 100; });
  EXPECT_NE(keep, drop);
  clock.cancel(drop);
  EXPECT_EQ(clock.pending_timers(), 1u);
  clock.advance_to(at(20ms));
  EXPECT_EQ(fired, 1);
  // Cancelling a fired, a cancelled or an unknown timer is a no-op.
  clock.cancel(keep);
  clock.cancel(drop);
  clock.cancel(9999);
  EXPECT_EQ(fired, 1);
}

TEST(FakeClock, CallbackCanCancelALaterTimer) {
  FakeClock clock;
  std::vector<int> fired;
  runtime::TimerId second = 0;
  clock.schedule_at(at(10ms), [&] {
    fired.push_back(1);
    clock.cancel(second);
  });
  second = clock.schedule_at(at(10ms), [&] { fired.push_back(2); });
  clock.schedule_at(at(15ms), [&] { fired.push_back(3); });
  clock.advance_to(at(20ms));
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

TEST(FakeClock, TimersScheduledFromCallbacksFireInTheSameAdvanceWhenDue) {
  FakeClock clock;
  std::vector<std::string> fired;
  clock.schedule_at(at(10ms), [&] {
    fired.push_back("first@10");
    // Due within this advance: fires after the timers already due at 10 ms.
    clock.schedule_after(0ms, [&] { fired.push_back("zero-delay@10"); });
    clock.schedule_after(5ms, [&] { fired.push_back("chained@15"); });
    // Beyond the advance target: stays pending.
    clock.schedule_after(50ms, [&] { fired.push_back("late@60"); });
  });
  clock.schedule_at(at(10ms), [&] { fired.push_back("second@10"); });
  clock.advance_to(at(30ms));
  EXPECT_EQ(fired,
            (std::vector<std::string>{"first@10", "second@10", "zero-delay@10", "chained@15"}));
  EXPECT_EQ(clock.now(), at(30ms));
  EXPECT_EQ(clock.pending_timers(), 1u);
  clock.advance_to(at(60ms));
  EXPECT_EQ(fired.back(), "late@60");
}

TEST(FakeClock, PeriodicReschedulingFiresOncePerPeriod) {
  FakeClock clock;
  std::vector<runtime::TimePoint> ticks;
  std::function<void()> tick = [&] {
    ticks.push_back(clock.now());
    clock.schedule_after(10ms, tick);
  };
  clock.schedule_after(10ms, tick);
  clock.advance_to(at(35ms));
  EXPECT_EQ(ticks, (std::vector<runtime::TimePoint>{at(10ms), at(20ms), at(30ms)}));
}

}  // namespace
}  // namespace iscsi::test
