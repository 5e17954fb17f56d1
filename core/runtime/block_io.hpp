#pragma once
// Asynchronous access to a LUN's backing store. Completions arrive later through the callback,
// on the event loop: the simulator after a virtual latency, the real runtime from a thread pool,
// so a slow file never stalls other sessions (DESIGN.md, runtime interfaces).
#include <cstdint>
#include <functional>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::runtime {

using IoCallback = std::function<void(Result<void>)>;

class BlockIo {
 public:
  virtual ~BlockIo() = default;
  virtual std::uint64_t size_bytes() const = 0;
  // `out` must stay valid until the callback runs.
  virtual void read(std::uint64_t offset, MutableByteView out, IoCallback done) = 0;
  // `data` is copied before write() returns.
  virtual void write(std::uint64_t offset, ByteView data, IoCallback done) = 0;
  virtual void flush(IoCallback done) = 0;
  // Deallocates the range (thin provisioning); later reads return zeros.
  virtual void unmap(std::uint64_t offset, std::uint64_t length, IoCallback done) = 0;
};

}  // namespace iscsi::runtime
