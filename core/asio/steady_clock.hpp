#pragma once
// The real clock: a steady clock for deadlines, measured from the runtime's creation, and the
// system clock for pcap timestamps.
#include <chrono>
#include <cstdint>

#include "core/runtime/clock.hpp"

namespace iscsi::asio {

class SteadyClock final : public runtime::Clock {
 public:
  SteadyClock();
  runtime::TimePoint now() const override;
  std::int64_t unix_time_ns() const override;
  // The steady-clock instant that a runtime TimePoint stands for (timers need it).
  std::chrono::steady_clock::time_point to_steady(runtime::TimePoint at) const;

 private:
  std::chrono::steady_clock::time_point epoch_;
};

}  // namespace iscsi::asio
