#include "target-impl/scsi/backing/tracked_store.hpp"

#include <utility>

#include "target-impl/scsi/backing/limits.hpp"

namespace iscsi::target::scsi::backing {

TrackedStore::TrackedStore(std::shared_ptr<runtime::BlockIo> inner, std::uint32_t block_bytes,
                           InitialAllocation initial)
    : inner_(std::move(inner)),
      block_bytes_(block_bytes),
      tracker_(inner_->size_bytes() / block_bytes, initial) {}

bool TrackedStore::in_range(std::uint64_t offset, std::uint64_t length) const {
  // The inner store rejects the rest; the tracker must not record what it will not do.
  const std::uint64_t size = inner_->size_bytes();
  return offset <= size && length <= size - offset;
}

void TrackedStore::read(std::uint64_t offset, MutableByteView out, runtime::IoCallback done) {
  inner_->read(offset, out, std::move(done));
}

void TrackedStore::write(std::uint64_t offset, ByteView data, runtime::IoCallback done) {
  if (!data.empty() && in_range(offset, data.size())) {
    // Every block the write touches, even partly, holds data now.
    const std::uint64_t first = offset / block_bytes_;
    const std::uint64_t last = (offset + data.size() - 1) / block_bytes_;
    tracker_.mark_mapped(first, last - first + 1);
  }
  inner_->write(offset, data, std::move(done));
}

void TrackedStore::flush(runtime::IoCallback done) { inner_->flush(std::move(done)); }

void TrackedStore::unmap(std::uint64_t offset, std::uint64_t length, runtime::IoCallback done) {
  // Only blocks the range covers completely are deallocated; a partly covered one keeps data.
  const std::uint64_t first = offset / block_bytes_ + (offset % block_bytes_ != 0 ? 1 : 0);
  const std::uint64_t end = in_range(offset, length) ? (offset + length) / block_bytes_ : 0;
  if (length > 0 && in_range(offset, length) && end > first) tracker_.mark_deallocated(first, end - first);
  inner_->unmap(offset, length, std::move(done));
}

std::shared_ptr<TrackedStore> make_tracked_store(std::shared_ptr<runtime::BlockIo> inner,
                                                 InitialAllocation initial) {
  return std::make_shared<TrackedStore>(std::move(inner), kLogicalBlockBytes, initial);
}

TrackedStore* tracked_state(runtime::BlockIo* store) {
  return dynamic_cast<TrackedStore*>(store);
}

}  // namespace iscsi::target::scsi::backing
