#include "sim/simulator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iscsi::sim {
namespace {

using namespace std::chrono_literals;

std::int64_t ns(const Simulator& sim) { return sim.now().time_since_epoch().count(); }

TEST(Simulator, SimultaneousEventsRunInInsertionOrder) {
  Simulator sim;
  std::vector<int> order;
  sim.schedule_after(5ms, [&] { order.push_back(1); });
  sim.schedule_after(5ms, [&] { order.push_back(2); });
  sim.schedule_after(1ms, [&] { order.push_back(0); });
  sim.post_at(runtime::TimePoint{5ms}, [&] { order.push_back(3); });
  ASSERT_TRUE(sim.run_until_idle().ok());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(ns(sim), 5'000'000);
}

TEST(Simulator, TimersSeeVirtualTimeAndCanBeCancelled) {
  Simulator sim;
  std::vector<std::int64_t> fired;
  sim.schedule_at(runtime::TimePoint{10us}, [&] {
    fired.push_back(ns(sim));
    sim.schedule_after(3us, [&] { fired.push_back(ns(sim)); });
  });
  const runtime::TimerId cancelled = sim.schedule_after(11us, [&] { fired.push_back(-1); });
  sim.cancel(cancelled);
  sim.cancel(cancelled);  // a second cancel is a no-op
  ASSERT_TRUE(sim.run_until_idle().ok());
  EXPECT_EQ(fired, (std::vector<std::int64_t>{10'000, 13'000}));
}

TEST(Simulator, CancellingAFiredTimerIsANoOp) {
  Simulator sim;
  int count = 0;
  const runtime::TimerId id = sim.schedule_after(1ms, [&] { ++count; });
  ASSERT_TRUE(sim.run_until_idle().ok());
  sim.cancel(id);
  EXPECT_EQ(count, 1);
}

TEST(Simulator, RunUntilTimeStopsAtTheDeadlineAndAdvancesTheClock) {
  Simulator sim;
  std::vector<int> fired;
  sim.schedule_after(2ms, [&] { fired.push_back(2); });
  sim.schedule_after(7ms, [&] { fired.push_back(7); });
  auto first = sim.run_until_time(runtime::TimePoint{5ms});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(fired, (std::vector<int>{2}));
  EXPECT_EQ(ns(sim), 5'000'000);
  EXPECT_FALSE(first->idle);
  ASSERT_TRUE(sim.run_for(2ms).ok());
  EXPECT_EQ(fired, (std::vector<int>{2, 7}));
}

TEST(Simulator, RunUntilPredicate) {
  Simulator sim;
  int count = 0;
  for (int i = 1; i <= 10; ++i) sim.schedule_after(i * 1ms, [&] { ++count; });
  auto stats = sim.run_until([&] { return count == 4; });
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->events, 4u);
  EXPECT_EQ(ns(sim), 4'000'000);
  EXPECT_EQ(sim.pending_events(), 6u);
}

TEST(Simulator, EventLimitIsAnErrorNamingTheSeed) {
  Simulator sim(SimConfig{.seed = 1234, .event_limit = 100});
  std::function<void()> forever = [&] { sim.schedule_after(1ns, forever); };
  sim.schedule_after(1ns, forever);
  auto result = sim.run_until_idle();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().id(), "sim.event-limit-exceeded");
  EXPECT_NE(result.error().detail.find("1234"), std::string::npos);
  EXPECT_EQ(sim.total_events(), 100u);
}

TEST(Simulator, ExactlyTheLimitIsNotAnError) {
  Simulator sim(SimConfig{.seed = 1, .event_limit = 3});
  for (int i = 0; i < 3; ++i) sim.post([] {});
  EXPECT_TRUE(sim.run_until_idle().ok());
}

TEST(Simulator, UnixTimeIsAFixedStartPlusVirtualTime) {
  Simulator sim(SimConfig{.seed = 99, .unix_start_ns = 1'000'000'000});
  sim.schedule_after(1500ns, [] {});
  ASSERT_TRUE(sim.run_until_idle().ok());
  EXPECT_EQ(sim.unix_time_ns(), 1'000'001'500);
  EXPECT_EQ(Simulator(SimConfig{.seed = 5}).unix_time_ns(), kDefaultUnixStartNs);
}

}  // namespace
}  // namespace iscsi::sim
