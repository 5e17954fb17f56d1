#pragma once
// A BlockIo decorator that carries a logical unit's block-level state next to its store: the
// thin-provisioning AllocationTracker and the RangeLocks of the indivisible commands.
//
// Why a decorator: LogicalUnit (target-impl/scsi/logical_unit.hpp) has no slot for SBC state
// and handlers are plain functions, so the state travels with the store the LU already owns.
// The server wraps each disk LUN's store with make_tracked_store(); the SBC handlers find the
// state with tracked_state(lu.store()). A store that is not wrapped still works: locks are then
// skipped and GET LBA STATUS reports every block mapped.
//
// Writes mark their blocks mapped and unmaps mark them deallocated at call time, in issue
// order, so the tracker always describes the data the store will hold.
#include <cstdint>
#include <memory>

#include "core/runtime/block_io.hpp"
#include "target-impl/scsi/backing/allocation_tracker.hpp"
#include "target-impl/scsi/backing/range_locks.hpp"

namespace iscsi::target::scsi::backing {

class TrackedStore final : public runtime::BlockIo {
 public:
  // `block_bytes` is the logical block size the tracker counts in (512).
  TrackedStore(std::shared_ptr<runtime::BlockIo> inner, std::uint32_t block_bytes,
               InitialAllocation initial);

  std::uint64_t size_bytes() const override { return inner_->size_bytes(); }
  void read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) override;
  void write(std::uint64_t offset, ByteView data, runtime::IoCallback done) override;
  void flush(runtime::IoCallback done) override;
  void unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) override;

  AllocationTracker& tracker() { return tracker_; }
  const AllocationTracker& tracker() const { return tracker_; }
  RangeLocks& locks() { return locks_; }
  runtime::BlockIo& inner() { return *inner_; }

 private:
  bool in_range(std::uint64_t offset, std::uint64_t length) const;

  std::shared_ptr<runtime::BlockIo> inner_;
  std::uint32_t block_bytes_;
  AllocationTracker tracker_;
  RangeLocks locks_;
};

// Wraps `inner` (ram and null stores start deallocated, files mapped: allocation_tracker.hpp).
std::shared_ptr<TrackedStore> make_tracked_store(std::shared_ptr<runtime::BlockIo> inner,
                                                 InitialAllocation initial);

// The TrackedStore behind a LU's store, or nullptr when the store is not wrapped.
TrackedStore* tracked_state(runtime::BlockIo* store);

}  // namespace iscsi::target::scsi::backing
