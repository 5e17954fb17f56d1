#pragma once
// One benchmark run on a logged-in session: `depth` READ(16) or WRITE(16) commands of `block`
// bytes kept in flight for `seconds`, at sequential LBAs that wrap around at the end of the LU
// (as iscsi-perf does), then the rates and the process's CPU time per GB moved.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/common/bytes.hpp"
#include "core/runtime/clock.hpp"
#include "initiator-impl/client/session.hpp"

namespace iscsi::bench {

struct PerfSettings {
  std::uint64_t lun = 0;
  std::uint32_t block_bytes = 64 * 1024;
  unsigned depth = 32;
  bool write = false;
  std::chrono::milliseconds duration{5000};
};

struct PerfFigures {
  bool ok = false;
  std::string error;
  std::uint64_t bytes = 0;
  std::uint64_t commands = 0;
  double seconds = 0;      // wall clock from the first submit to the last completion
  double cpu_seconds = 0;  // user + system of this process over the same span
};

// Runs on the session's loop; `done` runs once from it.
class PerfRun {
 public:
  PerfRun(initiator::client::Session& session, runtime::Clock& clock, PerfSettings settings);
  void start(std::uint64_t lu_blocks, std::uint32_t block_size,
             std::function<void(PerfFigures)> done);

 private:
  void issue();
  void on_completed(const initiator::session::CommandCompleted& completed);
  void finish();

  initiator::client::Session& session_;
  runtime::Clock& clock_;
  PerfSettings settings_;
  std::function<void(PerfFigures)> done_;
  PerfFigures figures_;
  Bytes write_data_;  // copied into each WRITE: the session owns what it sends
  std::uint64_t lu_blocks_ = 0;
  std::uint32_t blocks_per_command_ = 0;
  std::uint64_t next_lba_ = 0;
  unsigned in_flight_ = 0;
  bool stopping_ = false;
  runtime::TimePoint started_{};
  runtime::TimePoint deadline_{};
  double cpu_at_start_ = 0;
};

// User plus system CPU seconds of this process so far.
double process_cpu_seconds();

}  // namespace iscsi::bench
