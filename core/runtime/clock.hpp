#pragma once
// Time as the protocol code sees it. The simulator supplies virtual time, core/asio the real
// steady clock; protocol code never reads a clock itself (DESIGN.md, sans-IO).
#include <chrono>
#include <cstdint>

namespace iscsi::runtime {

// Nanoseconds since an arbitrary epoch fixed for one run (simulation start, or process start).
using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<struct RunEpoch, Duration>;

struct RunEpoch {
  using rep = Duration::rep;
  using period = Duration::period;
  using duration = Duration;
  using time_point = TimePoint;
  static constexpr bool is_steady = true;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  // Wall-clock time for pcap timestamps, in nanoseconds since the Unix epoch. The simulator
  // maps virtual time onto a fixed, seed-independent start so pcaps are byte-identical.
  virtual std::int64_t unix_time_ns() const = 0;
};

}  // namespace iscsi::runtime
