#include "tests/support/fake_runtime.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace iscsi::test {

runtime::TimerId FakeClock::schedule_at(runtime::TimePoint deadline,
                                        std::function<void()> callback) {
  const runtime::TimerId id = next_id_++;
  timers_.emplace(std::make_pair(std::max(deadline, now_), id), std::move(callback));
  return id;
}

runtime::TimerId FakeClock::schedule_after(runtime::Duration delay,
                                           std::function<void()> callback) {
  return schedule_at(now_ + delay, std::move(callback));
}

void FakeClock::cancel(runtime::TimerId id) {
  std::erase_if(timers_, [id](const auto& entry) { return entry.first.second == id; });
}

void FakeClock::advance_to(runtime::TimePoint t) {
  while (!timers_.empty() && timers_.begin()->first.first <= t) {
    auto node = timers_.extract(timers_.begin());
    now_ = node.key().first;
    node.mapped()();
  }
  now_ = std::max(now_, t);
}

std::uint64_t SeededRng::next_u64() {
  // SplitMix64 (Steele, Lea, Flood 2014).
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Each 64-bit draw gives up to eight bytes, least-significant first, so the bytes are the same
// on every host (a memcpy would depend on the host's byte order).
void SeededRng::fill(MutableByteView out) {
  for (std::size_t i = 0; i < out.size(); i += 8) {
    std::uint64_t v = next_u64();
    const std::size_t n = std::min<std::size_t>(8, out.size() - i);
    for (std::size_t j = 0; j < n; ++j, v >>= 8) out[i + j] = static_cast<std::uint8_t>(v);
  }
}

ScriptedRng::ScriptedRng(Bytes bytes) : bytes_(std::move(bytes)) {
  // An empty script has nothing to repeat (and would divide by zero below).
  if (bytes_.empty()) throw std::invalid_argument("ScriptedRng needs at least one byte");
}

std::uint64_t ScriptedRng::next_u64() {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | bytes_[next_++ % bytes_.size()];
  }
  return v;
}

void ScriptedRng::fill(MutableByteView out) {
  for (auto& b : out) b = bytes_[next_++ % bytes_.size()];
}

void RecordingTraceSink::on_pdu(runtime::TimePoint at, const runtime::ConnectionKey&,
                                runtime::Direction direction, ByteView wire_bytes) {
  pdus.push_back({at, direction, Bytes(wire_bytes.begin(), wire_bytes.end())});
}

void RecordingTraceSink::on_state(runtime::TimePoint, const runtime::ConnectionKey&,
                                  std::string_view machine, std::string_view from,
                                  std::string_view to) {
  states.push_back({std::string(machine), std::string(from), std::string(to)});
}

void RecordingTraceSink::on_violation(runtime::TimePoint, const runtime::ConnectionKey&,
                                      const Violation& violation) {
  violations.push_back(violation);
}

Result<void> MemoryBlockIo::check_range(std::uint64_t offset, std::uint64_t length) const {
  if (offset > data_.size() || length > data_.size() - offset) {
    static constexpr ViolationKind kOutOfRange{"blockio.out-of-range", "SBC-3 §4.5",
                                               Severity::recoverable};
    return Violation{kOutOfRange, fmt::format("range {}+{} beyond {} bytes", offset, length,
                                              data_.size())};
  }
  return success();
}

void MemoryBlockIo::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  auto checked = check_range(offset, out.size());
  // memcpy with a null pointer is undefined even for zero bytes, and an empty span may have one.
  if (checked && !out.empty()) std::memcpy(out.data(), data_.data() + offset, out.size());
  done(std::move(checked));
}

void MemoryBlockIo::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  auto checked = check_range(offset, data.size());
  if (checked && !data.empty()) std::memcpy(data_.data() + offset, data.data(), data.size());
  done(std::move(checked));
}

void MemoryBlockIo::flush(runtime::IoCallback done) { done(success()); }

void MemoryBlockIo::unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) {
  auto checked = check_range(offset, length);
  if (checked) {
    std::fill_n(data_.begin() + static_cast<std::ptrdiff_t>(offset),
                static_cast<std::ptrdiff_t>(length), 0);
  }
  done(std::move(checked));
}

}  // namespace iscsi::test
