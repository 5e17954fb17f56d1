#include "core/common/buffer_pool.hpp"

#include <utility>

namespace iscsi {

Bytes BufferPool::take(std::size_t size) {
  // The warmest buffer that is already long enough; then one that only needs to grow within
  // its capacity (zero-fills the difference, no allocation).
  for (std::size_t pass = 0; pass < 2; ++pass) {
    for (std::size_t i = buffers_.size(); i-- > 0;) {
      const Bytes& candidate = buffers_[i];
      if (pass == 0 ? candidate.size() >= size : candidate.capacity() >= size) {
        Bytes buffer = std::move(buffers_[i]);
        buffers_.erase(buffers_.begin() + static_cast<std::ptrdiff_t>(i));
        buffer.resize(size);
        ++reused_;
        return buffer;
      }
    }
  }
  return Bytes(size);
}

void BufferPool::give(Bytes&& buffer) {
  if (buffers_.size() >= kMaxBuffers || buffer.capacity() < kMinCapacity) return;
  if (buffers_.capacity() == 0) buffers_.reserve(kMaxBuffers);
  buffers_.push_back(std::move(buffer));
}

}  // namespace iscsi
