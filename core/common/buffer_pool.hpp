#pragma once
// Received data-segment buffers handed back for reuse. Growing a Bytes zero-fills it and a
// fresh 64 KiB block comes from malloc each time; on the read path that was a fifth of the
// initiator's user CPU per GB (bench/initiator_perf against tgtd, issue 5). A buffer given back
// keeps its size, so the next take() of at most that size shrinks it (no fill, no allocation)
// and the socket read overwrites it. Not thread-safe: one event loop owns it.
#include <cstddef>
#include <vector>

#include "core/common/bytes.hpp"

namespace iscsi {

class BufferPool {
 public:
  // Buffers kept at most, and the smallest capacity worth keeping.
  static constexpr std::size_t kMaxBuffers = 64;
  static constexpr std::size_t kMinCapacity = 4096;

  // A buffer of exactly `size` bytes. Its contents are unspecified (old data of a reused
  // buffer, or zeros): the caller overwrites them.
  Bytes take(std::size_t size);
  // Keeps `buffer` for a later take() unless the pool is full or the buffer is small.
  void give(Bytes&& buffer);

  std::size_t size() const { return buffers_.size(); }
  // Buffers handed out by take() that came from the pool (for tests and benchmarks).
  std::size_t reused() const { return reused_; }

 private:
  std::vector<Bytes> buffers_;  // most recently given last: its memory is the warmest
  std::size_t reused_ = 0;
};

}  // namespace iscsi
