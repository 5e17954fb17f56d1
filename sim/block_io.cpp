#include "sim/block_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace iscsi::sim {
namespace {

constexpr ViolationKind kOutOfRange{"sim.block-io-out-of-range", "simulator", Severity::fatal};

}  // namespace

SparseBlockIo::SparseBlockIo(Simulator& simulator, std::uint64_t size_bytes, BlockIoLatency latency)
    : simulator_(simulator), size_bytes_(size_bytes), latency_(latency) {}

Result<void> SparseBlockIo::check_range(std::uint64_t offset, std::uint64_t length,
                                        const char* op) const {
  if (offset > size_bytes_ || length > size_bytes_ - offset) {
    return Violation{kOutOfRange, fmt::format("{} of {} bytes at offset {} is past the end of a "
                                              "{}-byte store",
                                              op, length, offset, size_bytes_)};
  }
  return success();
}

void SparseBlockIo::complete(runtime::Duration latency, runtime::IoCallback done,
                             Result<void> result) {
  simulator_.post_at(simulator_.now() + latency,
                     [done = std::move(done), result = std::move(result)] { done(result); });
}

void SparseBlockIo::copy_out(std::uint64_t offset, MutableByteView out) const {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::uint64_t at = offset + done;
    const std::size_t within = at % kChunkSize;
    const std::size_t n = std::min(out.size() - done, kChunkSize - within);
    auto it = chunks_.find(at / kChunkSize);
    if (it == chunks_.end()) {
      std::memset(out.data() + done, 0, n);
    } else {
      std::memcpy(out.data() + done, it->second.get() + within, n);
    }
    done += n;
  }
}

void SparseBlockIo::copy_in(std::uint64_t offset, ByteView data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const std::uint64_t at = offset + done;
    const std::size_t within = at % kChunkSize;
    const std::size_t n = std::min(data.size() - done, kChunkSize - within);
    Chunk& chunk = chunks_[at / kChunkSize];
    if (!chunk) chunk = std::make_unique<std::uint8_t[]>(kChunkSize);  // value-initialized: zeros
    std::memcpy(chunk.get() + within, data.data() + done, n);
    done += n;
  }
}

// Whole chunks in the range are released; partial ones are zeroed in place.
void SparseBlockIo::zero_range(std::uint64_t offset, std::uint64_t length) {
  std::uint64_t done = 0;
  while (done < length) {
    const std::uint64_t at = offset + done;
    const std::uint64_t within = at % kChunkSize;
    const std::uint64_t n = std::min<std::uint64_t>(length - done, kChunkSize - within);
    auto it = chunks_.find(at / kChunkSize);
    if (it != chunks_.end()) {
      if (n == kChunkSize) {
        chunks_.erase(it);
      } else {
        std::memset(it->second.get() + within, 0, static_cast<std::size_t>(n));
      }
    }
    done += n;
  }
}

void SparseBlockIo::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  Result<void> checked = check_range(offset, out.size(), "read");
  // The data is copied at completion time, as a real read sees the state when it runs.
  simulator_.post_at(simulator_.now() + latency_.read,
                     [this, offset, out, done = std::move(done), checked = std::move(checked)] {
                       if (checked.ok()) copy_out(offset, out);
                       done(checked);
                     });
}

void SparseBlockIo::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  Result<void> checked = check_range(offset, data.size(), "write");
  // The data lands at once (the interface lets the caller reuse its buffer on return); only the
  // completion waits for the virtual latency.
  if (checked.ok()) copy_in(offset, data);
  complete(latency_.write, std::move(done), std::move(checked));
}

void SparseBlockIo::flush(runtime::IoCallback done) {
  complete(latency_.flush, std::move(done), success());
}

void SparseBlockIo::unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) {
  Result<void> checked = check_range(offset, length, "unmap");
  if (checked.ok()) zero_range(offset, length);
  complete(latency_.unmap, std::move(done), std::move(checked));
}

}  // namespace iscsi::sim
