#pragma once
// Which logical blocks of a thin-provisioned LU are mapped (SBC-3 §4.7.2). GET LBA STATUS
// answers from here; writes, WRITE SAME and UNMAP update it.
//
// Design. The tracker is separate from the store because BlockIo cannot say what is mapped (a
// file store may be a sparse file, a block device, or a simulated file) and because the SBC
// layer, not the store, knows when a command maps or deallocates blocks. It keeps an extent map
// of the MAPPED runs, in logical blocks, coalesced so that neighbouring runs never touch:
// memory grows with fragmentation, not with LU size; a fresh LU costs one entry or none.
// Tracking is per logical block, so GET LBA STATUS reports exactly what the initiator did,
// while the stores themselves free memory or punch holes per 4 KiB; a partly unmapped physical
// block reads back as zeros either way (LBPRZ=1).
//
// Initial state: deallocated for ram and null LUNs (nothing was ever written), mapped for file
// LUNs (the file's contents are data we did not write and must not claim are zeros).
//
// Limit: at most kMaxTrackedExtents runs. A deallocation that would split a run beyond the
// limit is not recorded (the blocks stay reported as mapped: SBC-3 §4.7.3.4 lets a device
// server keep blocks mapped after UNMAP, and their data was zeroed by the store anyway). A
// mapping that would add a run beyond the limit also maps the gap to the previous run: a
// block reported mapped but never written still reads as zeros, so nothing becomes false
// about the data.
#include <cstdint>
#include <map>

namespace iscsi::target::scsi::backing {

enum class InitialAllocation : std::uint8_t { mapped, deallocated };

class AllocationTracker {
 public:
  AllocationTracker(std::uint64_t block_count, InitialAllocation initial);

  // Ranges are clipped to the LU's capacity; a count of 0 changes nothing.
  void mark_mapped(std::uint64_t lba, std::uint64_t count);
  void mark_deallocated(std::uint64_t lba, std::uint64_t count);

  struct Run {
    std::uint64_t lba = 0;
    std::uint64_t count = 0;  // blocks from lba with the same state, to the next change or end
    bool mapped = false;
  };
  // The run starting at `lba` (which must be below block_count(); else count is 0).
  Run run_at(std::uint64_t lba) const;

  std::uint64_t block_count() const { return block_count_; }
  std::uint64_t extent_count() const { return extents_.size(); }
  std::uint64_t mapped_blocks() const;

 private:
  using Extents = std::map<std::uint64_t, std::uint64_t>;  // first LBA -> one past the last
  void merge_with_neighbour(Extents::iterator inserted);

  std::uint64_t block_count_;
  Extents extents_;
};

}  // namespace iscsi::target::scsi::backing
