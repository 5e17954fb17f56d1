#include "core/asio/timer_service.hpp"

namespace iscsi::asio {

AsioTimerService::AsioTimerService(boost::asio::io_context& io, const SteadyClock& clock)
    : io_(io), clock_(clock) {}

runtime::TimerId AsioTimerService::schedule_at(runtime::TimePoint deadline,
                                               std::function<void()> callback) {
  const runtime::TimerId id = next_id_++;
  auto entry = std::make_unique<Entry>(Entry{boost::asio::steady_timer(io_), std::move(callback)});
  entry->timer.expires_at(clock_.to_steady(deadline));
  entry->timer.async_wait([this, id](const boost::system::error_code& ec) {
    if (!ec) fire(id);
  });
  timers_.emplace(id, std::move(entry));
  return id;
}

runtime::TimerId AsioTimerService::schedule_after(runtime::Duration delay,
                                                  std::function<void()> callback) {
  const runtime::TimePoint now = clock_.now();
  // A delay past the end of time means "never"; saturate rather than overflow.
  const bool saturates = delay > runtime::TimePoint::max() - now;
  return schedule_at(saturates ? runtime::TimePoint::max() : now + delay, std::move(callback));
}

void AsioTimerService::cancel(runtime::TimerId id) {
  const auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second->timer.cancel();
  timers_.erase(it);
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
