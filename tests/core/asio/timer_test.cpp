// AsioTimerService: ordering, cancel, callbacks on the loop thread, and the clock's epoch.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "tests/core/asio/loop_helpers.hpp"

namespace iscsi::asio::test {
namespace {

using std::chrono::milliseconds;

TEST(AsioTimers, FireInDeadlineOrderAndCancelledOnesNever) {
  AsioRuntime rt;
  std::vector<int> fired;
  std::vector<std::thread::id> threads;
  auto record = [&](int n) {
    return [&, n] {
      fired.push_back(n);
      threads.push_back(std::this_thread::get_id());
    };
  };
  // Scheduled out of order on purpose.
  rt.timers().schedule_after(milliseconds(30), record(3));
  rt.timers().schedule_after(milliseconds(10), record(1));
  const runtime::TimerId cancelled = rt.timers().schedule_after(milliseconds(20), record(99));
  rt.timers().schedule_at(rt.clock().now() + milliseconds(20), record(2));
  rt.timers().cancel(cancelled);
  rt.timers().cancel(cancelled);  // a second cancel is a no-op
  EXPECT_TRUE(fired.empty()) << "callbacks never run inside schedule or cancel";

  ASSERT_TRUE(run_until(rt, [&] { return fired.size() >= 3; }));
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
  for (const auto& id : threads) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST(AsioTimers, CallbackMayScheduleAndCancelOthers) {
  AsioRuntime rt;
  std::vector<int> fired;
  runtime::TimerId later = 0;
  later = rt.timers().schedule_after(milliseconds(40), [&] { fired.push_back(2); });
  rt.timers().schedule_after(milliseconds(5), [&] {
    fired.push_back(1);
    rt.timers().cancel(later);
    rt.timers().schedule_after(milliseconds(5), [&] { fired.push_back(3); });
  });
  bool settled = false;
  rt.timers().schedule_after(milliseconds(80), [&] { settled = true; });
  ASSERT_TRUE(run_until(rt, [&] { return settled; }));
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
}

TEST(AsioTimers, CancellingAFiredTimerIsANoOp) {
  AsioRuntime rt;
  int calls = 0;
  const runtime::TimerId id = rt.timers().schedule_after(milliseconds(1), [&] { ++calls; });
  ASSERT_TRUE(run_until(rt, [&] { return calls == 1; }));
  rt.timers().cancel(id);
  EXPECT_EQ(calls, 1);
}

TEST(AsioTimers, FarFutureDeadlinesNeverFireAndCancelCleanly) {
  AsioRuntime rt;
  int calls = 0;
  const runtime::TimerId at_max =
      rt.timers().schedule_at(runtime::TimePoint::max(), [&] { ++calls; });
  const runtime::TimerId after_max =
      rt.timers().schedule_after(runtime::Duration::max(), [&] { ++calls; });
  bool settled = false;
  rt.timers().schedule_after(milliseconds(20), [&] { settled = true; });
  ASSERT_TRUE(run_until(rt, [&] { return settled; }));
  EXPECT_EQ(calls, 0);
  rt.timers().cancel(at_max);
  rt.timers().cancel(after_max);
  bool after_cancel = false;
  rt.timers().schedule_after(milliseconds(20), [&] { after_cancel = true; });
  ASSERT_TRUE(run_until(rt, [&] { return after_cancel; }));
  EXPECT_EQ(calls, 0);
}

TEST(AsioTimers, PastDeadlineFiresOnTheNextTurnOfTheLoop) {
  AsioRuntime rt;
  int calls = 0;
  rt.timers().schedule_at(runtime::TimePoint{}, [&] { ++calls; });
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(run_until(rt, [&] { return calls == 1; }));
}

// Zero delays are posted rather than armed: they still run later, in scheduling order, after
// an already-due timer scheduled earlier, and a cancelled one never runs.
TEST(AsioTimers, ZeroDelaysRunInOrderAndCancelStillWorks) {
  AsioRuntime rt;
  std::vector<int> fired;
  rt.timers().schedule_at(runtime::TimePoint{}, [&] { fired.push_back(1); });
  rt.timers().schedule_after(milliseconds(0), [&] { fired.push_back(2); });
  const runtime::TimerId cancelled =
      rt.timers().schedule_after(milliseconds(0), [&] { fired.push_back(99); });
  rt.timers().schedule_after(milliseconds(0), [&] {
    fired.push_back(3);
    // Scheduled from a callback: runs after the ones already due, never inside this call.
    rt.timers().schedule_after(milliseconds(0), [&] { fired.push_back(4); });
    EXPECT_EQ(fired.back(), 3);
  });
  rt.timers().cancel(cancelled);
  EXPECT_TRUE(fired.empty());
  ASSERT_TRUE(run_until(rt, [&] { return fired.size() >= 4; }));
  rt.run_for(milliseconds(5));
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3, 4}));
}

TEST(AsioClock, StartsNearZeroAndNeverGoesBack) {
  AsioRuntime rt;
  const runtime::TimePoint a = rt.clock().now();
  const runtime::TimePoint b = rt.clock().now();
  EXPECT_GE(a.time_since_epoch().count(), 0);
  EXPECT_LE(a, b);
  // The run epoch is the runtime's creation, not the machine's boot.
  EXPECT_LT(a.time_since_epoch(), std::chrono::hours(1));
  // unix_time_ns is wall-clock time: after 2020-01-01.
  EXPECT_GT(rt.clock().unix_time_ns(), 1'577'836'800'000'000'000);
}

}  // namespace
}  // namespace iscsi::asio::test
