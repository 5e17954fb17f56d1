#pragma once
// One-shot timers on the io_context: one steady_timer per scheduled callback, except that a
// deadline already due goes to a queue that one posted handler runs (memory stores complete
// every I/O with a zero delay; arming a kernel timer for each cost a timerfd_settime call, a
// map entry and a timer object per I/O).
// Callbacks run on the loop thread, never from inside schedule_at() or cancel().
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "core/asio/boost_asio.hpp"
#include "core/asio/steady_clock.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::asio {

class AsioTimerService final : public runtime::TimerService {
 public:
  AsioTimerService(boost::asio::io_context& io, const SteadyClock& clock);
  runtime::TimerId schedule_at(runtime::TimePoint deadline,
                               std::function<void()> callback) override;
  runtime::TimerId schedule_after(runtime::Duration delay,
                                  std::function<void()> callback) override;
  void cancel(runtime::TimerId id) override;
  std::size_t pending() const { return timers_.size() + due_.size(); }

 private:
  struct Entry {
    boost::asio::steady_timer timer;
    std::function<void()> callback;
  };
  struct Due {
    runtime::TimerId id;
    std::function<void()> callback;  // empty once cancelled
  };
  runtime::TimerId queue_due(std::function<void()> callback);
  void fire(runtime::TimerId id);
  void post_run_due();
  void run_due();

  boost::asio::io_context& io_;
  const SteadyClock& clock_;
  runtime::TimerId next_id_ = 1;
  // A timer is live while its id is here; cancel() erases it, so a completion that was already
  // queued when cancel() ran finds nothing and does nothing.
  std::map<runtime::TimerId, std::unique_ptr<Entry>> timers_;
  // Callbacks whose deadline had passed when they were scheduled, in scheduling order.
  std::deque<Due> due_;
  bool run_due_posted_ = false;
};

}  // namespace iscsi::asio
