// The thin-provisioning allocation tracker (target-impl/scsi/backing/allocation_tracker.hpp).
#include <gtest/gtest.h>

#include "target-impl/scsi/backing/allocation_tracker.hpp"
#include "target-impl/scsi/backing/limits.hpp"

namespace iscsi::target::scsi::backing {
namespace {

using Run = AllocationTracker::Run;

void expect_run(const AllocationTracker& t, std::uint64_t lba, std::uint64_t count,
                bool mapped) {
  const Run run = t.run_at(lba);
  EXPECT_EQ(run.lba, lba);
  EXPECT_EQ(run.count, count) << "at LBA " << lba;
  EXPECT_EQ(run.mapped, mapped) << "at LBA " << lba;
}

TEST(AllocationTrackerTest, InitialStates) {
  AllocationTracker deallocated(1000, InitialAllocation::deallocated);
  expect_run(deallocated, 0, 1000, false);
  expect_run(deallocated, 999, 1, false);
  EXPECT_EQ(deallocated.extent_count(), 0u);
  AllocationTracker mapped(1000, InitialAllocation::mapped);
  expect_run(mapped, 10, 990, true);
  EXPECT_EQ(mapped.mapped_blocks(), 1000u);
  EXPECT_EQ(mapped.run_at(1000).count, 0u);
}

TEST(AllocationTrackerTest, MappingCoalescesTouchingAndOverlappingRuns) {
  AllocationTracker t(1000, InitialAllocation::deallocated);
  t.mark_mapped(10, 10);   // [10,20)
  t.mark_mapped(30, 10);   // [30,40)
  EXPECT_EQ(t.extent_count(), 2u);
  expect_run(t, 0, 10, false);
  expect_run(t, 15, 5, true);
  expect_run(t, 20, 10, false);
  t.mark_mapped(20, 10);   // touches both: one run [10,40)
  EXPECT_EQ(t.extent_count(), 1u);
  expect_run(t, 10, 30, true);
  t.mark_mapped(5, 100);   // swallows it: [5,105)
  EXPECT_EQ(t.extent_count(), 1u);
  expect_run(t, 5, 100, true);
  expect_run(t, 105, 895, false);
}

TEST(AllocationTrackerTest, DeallocationSplitsAndTrims) {
  AllocationTracker t(100, InitialAllocation::mapped);
  t.mark_deallocated(40, 10);  // [0,40) [50,100)
  EXPECT_EQ(t.extent_count(), 2u);
  expect_run(t, 0, 40, true);
  expect_run(t, 40, 10, false);
  expect_run(t, 50, 50, true);
  t.mark_deallocated(30, 30);  // trims both: [0,30) [60,100)
  expect_run(t, 0, 30, true);
  expect_run(t, 30, 30, false);
  expect_run(t, 60, 40, true);
  EXPECT_EQ(t.mapped_blocks(), 70u);
  t.mark_deallocated(0, 100);
  EXPECT_EQ(t.extent_count(), 0u);
  expect_run(t, 0, 100, false);
}

TEST(AllocationTrackerTest, RangesAreClippedToCapacity) {
  AllocationTracker t(100, InitialAllocation::deallocated);
  t.mark_mapped(90, ~std::uint64_t{0});
  expect_run(t, 90, 10, true);
  t.mark_mapped(100, 5);  // entirely beyond: nothing
  t.mark_mapped(0, 0);    // empty: nothing
  EXPECT_EQ(t.mapped_blocks(), 10u);
  t.mark_deallocated(95, ~std::uint64_t{0});
  expect_run(t, 90, 5, true);
  expect_run(t, 95, 5, false);
}

TEST(AllocationTrackerTest, FragmentationIsBoundedByTheExtentLimit) {
  // Every other block mapped, more than the limit allows.
  const std::uint64_t blocks = 2 * kMaxTrackedExtents + 64;
  AllocationTracker t(blocks, InitialAllocation::deallocated);
  for (std::uint64_t lba = 0; lba < blocks; lba += 2) t.mark_mapped(lba, 1);
  EXPECT_LE(t.extent_count(), kMaxTrackedExtents);
  // Every written block is still reported mapped.
  for (std::uint64_t lba = 0; lba < blocks; lba += 2) ASSERT_TRUE(t.run_at(lba).mapped);

  // A fully mapped LU at the limit refuses a split instead of growing.
  AllocationTracker full(blocks, InitialAllocation::deallocated);
  for (std::uint64_t i = 0; i < kMaxTrackedExtents; ++i) full.mark_mapped(2 * i, 1);
  // One more run is merged with its predecessor: [2K-2, 2K+30) becomes one mapped run.
  full.mark_mapped(2 * kMaxTrackedExtents + 10, 20);
  EXPECT_EQ(full.extent_count(), kMaxTrackedExtents);
  EXPECT_TRUE(full.run_at(2 * kMaxTrackedExtents + 5).mapped);
  full.mark_deallocated(2 * kMaxTrackedExtents + 15, 2);  // would split: not recorded
  EXPECT_TRUE(full.run_at(2 * kMaxTrackedExtents + 15).mapped);
  full.mark_deallocated(2 * kMaxTrackedExtents + 28, 2);  // trims the end: recorded
  EXPECT_FALSE(full.run_at(2 * kMaxTrackedExtents + 28).mapped);
  EXPECT_TRUE(full.run_at(2 * kMaxTrackedExtents + 27).mapped);
}

}  // namespace
}  // namespace iscsi::target::scsi::backing
