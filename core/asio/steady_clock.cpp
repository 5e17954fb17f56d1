#include "core/asio/steady_clock.hpp"

namespace iscsi::asio {

SteadyClock::SteadyClock() : epoch_(std::chrono::steady_clock::now()) {}

runtime::TimePoint SteadyClock::now() const {
  const auto elapsed = std::chrono::steady_clock::now() - epoch_;
  return runtime::TimePoint{std::chrono::duration_cast<runtime::Duration>(elapsed)};
}

std::int64_t SteadyClock::unix_time_ns() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
}

std::chrono::steady_clock::time_point SteadyClock::to_steady(runtime::TimePoint at) const {
  using Steady = std::chrono::steady_clock;
  const auto offset = std::chrono::duration_cast<Steady::duration>(at.time_since_epoch());
  // "Never" is often written as TimePoint::max(): clamp instead of overflowing.
  if (offset > Steady::time_point::max() - epoch_) return Steady::time_point::max();
  if (offset < Steady::duration::zero()) return epoch_;
  return epoch_ + offset;
}

}  // namespace iscsi::asio
