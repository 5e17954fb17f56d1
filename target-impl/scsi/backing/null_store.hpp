#pragma once
// tgt's bs_null (`--bstype null`): a store with a size but no storage. Reads return zeros,
// writes, flushes and unmaps succeed and are discarded. It measures the protocol path alone,
// which is what the in-memory benchmark compares against tgtd's null backing store.
#include <cstdint>
#include <memory>

#include "core/runtime/block_io.hpp"
#include "core/runtime/timer_service.hpp"

namespace iscsi::target::scsi::backing {

class NullStore final : public runtime::BlockIo {
 public:
  // Fails ("blockio.bad-size") when size_bytes exceeds kMaxNullStoreBytes.
  static Result<std::unique_ptr<NullStore>> create(runtime::TimerService& timers,
                                                   std::uint64_t size_bytes);

  std::uint64_t size_bytes() const override { return size_bytes_; }
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

 private:
  NullStore(runtime::TimerService& timers, std::uint64_t size_bytes)
      : timers_(timers), size_bytes_(size_bytes) {}

  runtime::TimerService& timers_;
  std::uint64_t size_bytes_;
};

}  // namespace iscsi::target::scsi::backing
