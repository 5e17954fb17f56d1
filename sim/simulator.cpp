#include "sim/simulator.hpp"

#include <fmt/format.h>

#include <limits>
#include <utility>

namespace iscsi::sim {
namespace {

constexpr ViolationKind kEventLimitExceeded{"sim.event-limit-exceeded", "simulator",
                                            Severity::fatal};
constexpr runtime::TimePoint kForever{runtime::Duration{std::numeric_limits<std::int64_t>::max()}};

}  // namespace

Simulator::Simulator(SimConfig config) : config_(config) {}

std::int64_t Simulator::unix_time_ns() const {
  return config_.unix_start_ns + now_.time_since_epoch().count();
}

std::uint64_t Simulator::push(runtime::TimePoint at, bool is_timer,
                              std::function<void()> callback) {
  const std::uint64_t sequence = next_sequence_++;
  std::uint32_t slot = 0;
  if (free_slots_.empty()) {
    slot = static_cast<std::uint32_t>(callbacks_.size());
    callbacks_.push_back(std::move(callback));
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    callbacks_[slot] = std::move(callback);
  }
  queue_.push(Event{at < now_ ? now_ : at, sequence, slot, is_timer});
  return sequence;
}

runtime::TimerId Simulator::schedule_at(runtime::TimePoint deadline,
                                        std::function<void()> callback) {
  const std::uint64_t id = push(deadline, true, std::move(callback));
  live_timers_.insert(id);
  return id;
}

runtime::TimerId Simulator::schedule_after(runtime::Duration delay,
                                           std::function<void()> callback) {
  return schedule_at(now_ + delay, std::move(callback));
}

// A cancelled timer stays in the queue and is skipped when it comes due: removal from a binary
// heap would cost more than the skip.
void Simulator::cancel(runtime::TimerId id) { live_timers_.erase(id); }

void Simulator::post_at(runtime::TimePoint at, std::function<void()> callback) {
  push(at, false, std::move(callback));
}

bool Simulator::step(runtime::TimePoint limit) {
  while (!queue_.empty()) {
    if (queue_.top().at > limit) return false;
    const Event event = queue_.top();
    queue_.pop();
    std::function<void()> callback = std::move(callbacks_[event.slot]);
    callbacks_[event.slot] = nullptr;
    free_slots_.push_back(event.slot);
    if (event.is_timer && live_timers_.erase(event.sequence) == 0) continue;
    now_ = event.at;
    ++total_events_;
    callback();
    return true;
  }
  return false;
}

Violation Simulator::event_limit_error() const {
  return Violation{kEventLimitExceeded,
                   fmt::format("run with seed {} exceeded the event limit of {} events at virtual "
                               "time {} ns; rerun with --seed {} to reproduce",
                               config_.seed, config_.event_limit, now_.time_since_epoch().count(),
                               config_.seed)};
}

Result<RunStats> Simulator::run_loop(const std::function<bool()>* done, runtime::TimePoint limit) {
  RunStats stats;
  while (done == nullptr || !(*done)()) {
    if (stats.events >= config_.event_limit) {
      if (queue_.empty() || queue_.top().at > limit) break;
      return event_limit_error();
    }
    if (!step(limit)) break;
    ++stats.events;
  }
  stats.idle = queue_.empty();
  return stats;
}

Result<RunStats> Simulator::run_until_idle() { return run_loop(nullptr, kForever); }

Result<RunStats> Simulator::run_until(const std::function<bool()>& done) {
  return run_loop(&done, kForever);
}

Result<RunStats> Simulator::run_until_time(runtime::TimePoint deadline) {
  Result<RunStats> result = run_loop(nullptr, deadline);
  if (result.ok() && now_ < deadline) now_ = deadline;
  return result;
}

}  // namespace iscsi::sim
