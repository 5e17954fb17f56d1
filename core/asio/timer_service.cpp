#include "core/asio/timer_service.hpp"

namespace iscsi::asio {

AsioTimerService::AsioTimerService(boost::asio::io_context& io, const SteadyClock& clock)
    : io_(io), clock_(clock) {}

runtime::TimerId AsioTimerService::schedule_at(runtime::TimePoint deadline,
                                               std::function<void()> callback) {
  if (deadline <= clock_.now()) return queue_due(std::move(callback));
  const runtime::TimerId id = next_id_++;
  auto entry = std::make_unique<Entry>(Entry{boost::asio::steady_timer(io_), std::move(callback)});
  entry->timer.expires_at(clock_.to_steady(deadline));
  entry->timer.async_wait([this, id](const boost::system::error_code& ec) {
    if (!ec) fire(id);
  });
  timers_.emplace(id, std::move(entry));
  return id;
}

// Due now: queued and run by one posted handler after the current one, in scheduling order,
// without a kernel timer or a map entry.
runtime::TimerId AsioTimerService::queue_due(std::function<void()> callback) {
  const runtime::TimerId id = next_id_++;
  due_.push_back(Due{id, std::move(callback)});
  post_run_due();
  return id;
}

runtime::TimerId AsioTimerService::schedule_after(runtime::Duration delay,
                                                  std::function<void()> callback) {
  if (delay <= runtime::Duration::zero()) return queue_due(std::move(callback));
  const runtime::TimePoint now = clock_.now();
  // A delay past the end of time means "never"; saturate rather than overflow.
  const bool saturates = delay > runtime::TimePoint::max() - now;
  return schedule_at(saturates ? runtime::TimePoint::max() : now + delay, std::move(callback));
}

void AsioTimerService::cancel(runtime::TimerId id) {
  const auto it = timers_.find(id);
  if (it != timers_.end()) {
    it->second->timer.cancel();
    timers_.erase(it);
    return;
  }
  // A due one not yet run: drop its callback (the queue holds one turn's completions).
  for (Due& due : due_) {
    if (due.id == id) {
      due.callback = nullptr;
      return;
    }
  }
}

void AsioTimerService::post_run_due() {
  if (run_due_posted_) return;
  run_due_posted_ = true;
  boost::asio::post(io_, [this] { run_due(); });
}

void AsioTimerService::run_due() {
  run_due_posted_ = false;
  // Only what was due when this handler started: callbacks that schedule more with a zero
  // delay see them run on a later turn, never inside their own call.
  for (std::size_t n = due_.size(); n > 0 && !due_.empty(); --n) {
    std::function<void()> callback = std::move(due_.front().callback);
    due_.pop_front();
    if (callback) callback();
  }
  if (!due_.empty()) post_run_due();
}

void AsioTimerService::fire(runtime::TimerId id) {
  const auto it = timers_.find(id);
  if (it == timers_.end()) return;
  // Erase before calling, so the callback may schedule or cancel freely.
  std::function<void()> callback = std::move(it->second->callback);
  timers_.erase(it);
  callback();
}

}  // namespace iscsi::asio
