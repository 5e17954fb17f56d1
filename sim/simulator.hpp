#pragma once
// The simulator's event loop: virtual time, one thread, events ordered by (virtual time,
// insertion sequence) so that two events due at the same instant run in the order they were
// scheduled. It implements core's Clock and TimerService; hosts, links and streams live in
// sim/fabric.hpp on top of it (DESIGN.md, The simulator).
#include <cstdint>
#include <functional>
#include <queue>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/timer_service.hpp"
#include "sim/rng.hpp"

namespace iscsi::sim {

// Default bound on events per run call: a runaway scenario (a retry loop without delay) ends
// with an error naming the seed instead of hanging.
inline constexpr std::uint64_t kDefaultEventLimit = 200'000'000;
// 2026-01-01T00:00:00Z: virtual time zero as Unix time, the same for every seed so that two runs
// give byte-identical pcaps.
inline constexpr std::int64_t kDefaultUnixStartNs = 1'767'225'600'000'000'000;

struct SimConfig {
  std::uint64_t seed = 1;
  std::uint64_t event_limit = kDefaultEventLimit;
  std::int64_t unix_start_ns = kDefaultUnixStartNs;
};

struct RunStats {
  std::uint64_t events = 0;  // events executed by this run call
  bool idle = false;         // the queue ran empty
};

class Simulator final : public runtime::Clock, public runtime::TimerService {
 public:
  explicit Simulator(SimConfig config = {});
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  std::uint64_t seed() const { return config_.seed; }
  // The named sub-stream of the master seed; each call starts that stream afresh.
  SimRng rng(std::string_view name) const { return SimRng(derive_seed(config_.seed, name)); }

  // runtime::Clock
  runtime::TimePoint now() const override { return now_; }
  std::int64_t unix_time_ns() const override;

  // runtime::TimerService
  runtime::TimerId schedule_at(runtime::TimePoint deadline,
                               std::function<void()> callback) override;
  runtime::TimerId schedule_after(runtime::Duration delay, std::function<void()> callback) override;
  void cancel(runtime::TimerId id) override;

  // Internal events of the simulator's own layers (deliveries, faults): not cancellable, so
  // they skip the bookkeeping timers need. Deadlines in the past run at now().
  void post_at(runtime::TimePoint at, std::function<void()> callback);
  void post(std::function<void()> callback) { post_at(now_, std::move(callback)); }

  // Run until nothing is scheduled.
  Result<RunStats> run_until_idle();
  // Run until `done` returns true (checked before each event and after the last), or idle.
  Result<RunStats> run_until(const std::function<bool()>& done);
  // Run every event due at or before `deadline`, then set the clock to `deadline`.
  Result<RunStats> run_until_time(runtime::TimePoint deadline);
  Result<RunStats> run_for(runtime::Duration span) { return run_until_time(now_ + span); }

  std::size_t pending_events() const { return queue_.size(); }
  std::uint64_t total_events() const { return total_events_; }

 private:
  // The heap holds small plain entries; callbacks sit in `callbacks_` slots so that heap
  // reordering never moves a std::function.
  struct Event {
    runtime::TimePoint at;
    std::uint64_t sequence;
    std::uint32_t slot;
    bool is_timer;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };

  std::uint64_t push(runtime::TimePoint at, bool is_timer, std::function<void()> callback);
  // Runs one event if one is due at or before `limit`; false when none is.
  bool step(runtime::TimePoint limit);
  Result<RunStats> run_loop(const std::function<bool()>* done, runtime::TimePoint limit);
  Violation event_limit_error() const;

  SimConfig config_;
  runtime::TimePoint now_{};
  std::uint64_t next_sequence_ = 1;
  std::uint64_t total_events_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  std::unordered_set<runtime::TimerId> live_timers_;
  std::vector<std::function<void()>> callbacks_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace iscsi::sim
