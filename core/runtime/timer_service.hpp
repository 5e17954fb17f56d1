#pragma once
// One-shot timers. Callbacks run on the runtime's single event loop thread, never re-entrantly
// from inside schedule() or cancel().
#include <cstdint>
#include <functional>

#include "core/runtime/clock.hpp"

namespace iscsi::runtime {

using TimerId = std::uint64_t;

class TimerService {
 public:
  virtual ~TimerService() = default;
  virtual TimerId schedule_at(TimePoint deadline, std::function<void()> callback) = 0;
  virtual TimerId schedule_after(Duration delay, std::function<void()> callback) = 0;
  // Cancelling a timer that already fired or was cancelled is a no-op.
  virtual void cancel(TimerId id) = 0;
};

}  // namespace iscsi::runtime
