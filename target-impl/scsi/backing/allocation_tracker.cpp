#include "target-impl/scsi/backing/allocation_tracker.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

#include "target-impl/scsi/backing/limits.hpp"

namespace iscsi::target::scsi::backing {

AllocationTracker::AllocationTracker(std::uint64_t block_count, InitialAllocation initial)
    : block_count_(block_count) {
  if (initial == InitialAllocation::mapped && block_count > 0) extents_.emplace(0, block_count);
}

void AllocationTracker::mark_mapped(std::uint64_t lba, std::uint64_t count) {
  if (lba >= block_count_ || count == 0) return;
  std::uint64_t first = lba;
  std::uint64_t end = lba + std::min(count, block_count_ - lba);
  // Start at the run that overlaps or touches `first`, then swallow every run up to `end`.
  auto it = extents_.upper_bound(first);
  if (it != extents_.begin() && std::prev(it)->second >= first) --it;
  while (it != extents_.end() && it->first <= end) {
    first = std::min(first, it->first);
    end = std::max(end, it->second);
    it = extents_.erase(it);
  }
  auto inserted = extents_.emplace_hint(it, first, end);
  if (extents_.size() > kMaxTrackedExtents) merge_with_neighbour(inserted);
}

void AllocationTracker::merge_with_neighbour(Extents::iterator inserted) {
  // Over the limit: close the gap to the previous run (or the next one) instead of keeping a
  // new run. See the header for why reporting those blocks mapped is harmless.
  if (inserted != extents_.begin()) {
    std::prev(inserted)->second = inserted->second;
    extents_.erase(inserted);
    return;
  }
  auto next = std::next(inserted);
  if (next == extents_.end()) return;
  const std::uint64_t end = next->second;
  extents_.erase(next);
  inserted->second = end;
}

void AllocationTracker::mark_deallocated(std::uint64_t lba, std::uint64_t count) {
  if (lba >= block_count_ || count == 0) return;
  const std::uint64_t first = lba;
  const std::uint64_t end = lba + std::min(count, block_count_ - lba);
  auto it = extents_.upper_bound(first);
  if (it != extents_.begin() && std::prev(it)->second > first) --it;
  // Only a run that contains the whole range on both sides is split in two (one more run).
  if (it != extents_.end() && it->first < first && it->second > end &&
      extents_.size() >= kMaxTrackedExtents) {
    return;
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> remainders;
  while (it != extents_.end() && it->first < end) {
    if (it->first < first) remainders.emplace_back(it->first, first);
    if (it->second > end) remainders.emplace_back(end, it->second);
    it = extents_.erase(it);
  }
  for (const auto& [a, b] : remainders) extents_.emplace(a, b);
}

AllocationTracker::Run AllocationTracker::run_at(std::uint64_t lba) const {
  if (lba >= block_count_) return Run{lba, 0, false};
  auto it = extents_.upper_bound(lba);
  if (it != extents_.begin() && std::prev(it)->second > lba) {
    return Run{lba, std::prev(it)->second - lba, true};
  }
  const std::uint64_t next_mapped = it == extents_.end() ? block_count_ : it->first;
  return Run{lba, next_mapped - lba, false};
}

std::uint64_t AllocationTracker::mapped_blocks() const {
  std::uint64_t total = 0;
  for (const auto& [first, end] : extents_) total += end - first;
  return total;
}

}  // namespace iscsi::target::scsi::backing
