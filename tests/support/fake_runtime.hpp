#pragma once
// Test fakes of core's runtime interfaces. Unit tests pass literal times (style rule 6), so the
// clock only moves when a test moves it, and timers fire only from advance_to().
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime/block_io.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/rng.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/trace_sink.hpp"

namespace iscsi::test {

class FakeClock final : public runtime::Clock, public runtime::TimerService {
 public:
  runtime::TimePoint now() const override { return now_; }
  std::int64_t unix_time_ns() const override {
    return kUnixStartNs + now_.time_since_epoch().count();
  }
  runtime::TimerId schedule_at(runtime::TimePoint deadline,
                               std::function<void()> callback) override;
  runtime::TimerId schedule_after(runtime::Duration delay,
                                  std::function<void()> callback) override;
  void cancel(runtime::TimerId id) override;

  // Moves time forward to `t`, firing due timers in (deadline, scheduling order).
  void advance_to(runtime::TimePoint t);
  void advance_by(runtime::Duration d) { advance_to(now_ + d); }
  std::size_t pending_timers() const { return timers_.size(); }

  static constexpr std::int64_t kUnixStartNs = 1'700'000'000'000'000'000;

 private:
  runtime::TimePoint now_{};
  runtime::TimerId next_id_ = 1;
  // Key (deadline, id): ids grow, so equal deadlines fire in scheduling order.
  std::map<std::pair<runtime::TimePoint, runtime::TimerId>, std::function<void()>> timers_;
};

// Deterministic generator (SplitMix64) so tests that need randomness are reproducible.
// fill() uses one draw per eight bytes, least-significant byte first.
class SeededRng final : public runtime::Rng {
 public:
  explicit SeededRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next_u64() override;
  void fill(MutableByteView out) override;

 private:
  std::uint64_t state_;
};

// Returns the given bytes in order, repeating them; for tests that need exact "random" bytes.
// next_u64() takes the next eight bytes, the first one most significant. Throws
// std::invalid_argument for an empty script.
class ScriptedRng final : public runtime::Rng {
 public:
  explicit ScriptedRng(Bytes bytes);
  std::uint64_t next_u64() override;
  void fill(MutableByteView out) override;

 private:
  Bytes bytes_;
  std::size_t next_ = 0;
};

class RecordingTraceSink final : public runtime::TraceSink {
 public:
  struct PduRecord {
    runtime::TimePoint at;
    runtime::Direction direction;
    Bytes bytes;
  };
  struct StateRecord {
    std::string machine, from, to;
  };

  void on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
              runtime::Direction direction, ByteView wire_bytes) override;
  void on_state(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                std::string_view machine, std::string_view from, std::string_view to) override;
  void on_violation(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                    const Violation& violation) override;

  std::vector<PduRecord> pdus;
  std::vector<StateRecord> states;
  std::vector<Violation> violations;
};

// An in-memory backing store whose operations complete synchronously, before the call returns.
// It is dense: size_bytes are allocated up front, so keep test LUNs small. Ranges beyond the end
// fail with "blockio.out-of-range" and leave the data untouched.
class MemoryBlockIo final : public runtime::BlockIo {
 public:
  explicit MemoryBlockIo(std::uint64_t size_bytes) : data_(size_bytes, 0) {}
  std::uint64_t size_bytes() const override { return data_.size(); }
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

 private:
  Result<void> check_range(std::uint64_t offset, std::uint64_t length) const;
  Bytes data_;
};

}  // namespace iscsi::test
