// LBA range locks (target-impl/scsi/backing/range_locks.hpp) and the TrackedStore decorator.
#include <gtest/gtest.h>

#include <vector>

#include "target-impl/scsi/backing/range_locks.hpp"
#include "target-impl/scsi/backing/tracked_store.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::target::scsi::backing {
namespace {

using Ticket = RangeLocks::Ticket;

TEST(RangeLocksTest, SharedLocksNeverWaitForEachOther) {
  RangeLocks locks;
  int granted = 0;
  const Ticket a = locks.acquire(0, 100, LockMode::shared, [&](Ticket) { ++granted; });
  const Ticket b = locks.acquire(50, 100, LockMode::shared, [&](Ticket) { ++granted; });
  EXPECT_EQ(granted, 2);
  EXPECT_NE(a, b);
  locks.release(a);
  locks.release(b);
  EXPECT_EQ(locks.size(), 0u);
}

TEST(RangeLocksTest, ExclusiveWaitsForOverlapsOnlyAndInArrivalOrder) {
  RangeLocks locks;
  std::vector<int> order;
  const Ticket reader = locks.acquire(10, 10, LockMode::shared, [&](Ticket) { order.push_back(1); });
  Ticket exclusive_ticket = 0;
  locks.acquire(15, 10, LockMode::exclusive, [&](Ticket t) {
    exclusive_ticket = t;
    order.push_back(2);
  });
  // Overlaps the waiting exclusive lock: must queue behind it, not overtake it.
  locks.acquire(20, 1, LockMode::shared, [&](Ticket) { order.push_back(3); });
  // Disjoint from everything: runs at once.
  locks.acquire(1000, 1, LockMode::exclusive, [&](Ticket) { order.push_back(4); });
  EXPECT_EQ(order, (std::vector<int>{1, 4}));
  locks.release(reader);
  EXPECT_EQ(order, (std::vector<int>{1, 4, 2}));
  locks.release(exclusive_ticket);
  EXPECT_EQ(order, (std::vector<int>{1, 4, 2, 3}));
}

TEST(RangeLocksTest, ZeroLengthRangeStillOrdersAndReleaseOfUnknownTicketIsHarmless) {
  RangeLocks locks;
  const Ticket held = locks.acquire(5, 1, LockMode::exclusive, [](Ticket) {});
  bool granted = false;
  locks.acquire(5, 0, LockMode::shared, [&](Ticket) { granted = true; });
  EXPECT_FALSE(granted);
  locks.release(12345);
  EXPECT_FALSE(granted);
  locks.release(held);
  EXPECT_TRUE(granted);
}

TEST(RangeLocksTest, RefusesBeyondTheLimit) {
  RangeLocks locks;
  for (std::size_t i = 0; i < kMaxRangeLocks; ++i) {
    ASSERT_NE(locks.acquire(i, 1, LockMode::shared, [](Ticket) {}), 0u);
  }
  bool granted = false;
  EXPECT_EQ(locks.acquire(0, 1, LockMode::shared, [&](Ticket) { granted = true; }), 0u);
  EXPECT_FALSE(granted);
}

TEST(TrackedStoreTest, WritesMapAndUnmapsDeallocateWholeBlocks) {
  auto inner = std::make_shared<iscsi::test::MemoryBlockIo>(64 * 512);
  auto store = make_tracked_store(inner, InitialAllocation::deallocated);
  ASSERT_EQ(tracked_state(store.get()), store.get());
  EXPECT_EQ(tracked_state(inner.get()), nullptr);
  EXPECT_EQ(store->tracker().block_count(), 64u);
  bool ok = false;
  // Bytes 600..1100 touch blocks 1 and 2.
  store->write(600, Bytes(500, 7), [&](Result<void> r) { ok = r.ok(); });
  EXPECT_TRUE(ok);
  EXPECT_FALSE(store->tracker().run_at(0).mapped);
  EXPECT_EQ(store->tracker().run_at(1).count, 2u);
  EXPECT_TRUE(store->tracker().run_at(1).mapped);
  // Unmapping bytes 700..1536 covers only block 2 completely.
  store->unmap(700, 836, [&](Result<void> r) { ok = r.ok(); });
  EXPECT_TRUE(ok);
  EXPECT_TRUE(store->tracker().run_at(1).mapped);
  EXPECT_FALSE(store->tracker().run_at(2).mapped);
  // A write the inner store refuses records nothing.
  store->write(64 * 512 - 10, Bytes(20, 1), [&](Result<void> r) { ok = r.ok(); });
  EXPECT_FALSE(ok);
  EXPECT_FALSE(store->tracker().run_at(63).mapped);
  // Reads and flushes go through.
  Bytes out(500);
  store->read(600, out, [&](Result<void> r) { ok = r.ok(); });
  EXPECT_TRUE(ok);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 100), Bytes(100, 7));
  ok = false;
  store->flush([&](Result<void> r) { ok = r.ok(); });
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace iscsi::target::scsi::backing
