#include "initiator-impl/session/range_set.hpp"

#include <gtest/gtest.h>

#include "initiator-impl/session/session_limits.hpp"

namespace iscsi::initiator::session {
namespace {

TEST(InitiatorRangeSet, MergesAdjacentRangesInAnyOrder) {
  RangeSet set;
  EXPECT_EQ(set.insert(512, 1024), RangeSet::Insert::added);
  EXPECT_FALSE(set.contiguous_from_zero());
  EXPECT_EQ(set.insert(1536, 2048), RangeSet::Insert::added);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.insert(1024, 1536), RangeSet::Insert::added);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(set.insert(0, 512), RangeSet::Insert::added);
  EXPECT_TRUE(set.contiguous_from_zero());
  EXPECT_EQ(set.covered(), 2048u);
}

TEST(InitiatorRangeSet, RefusesOverlapsAndChangesNothing) {
  RangeSet set;
  ASSERT_EQ(set.insert(100, 200), RangeSet::Insert::added);
  EXPECT_EQ(set.insert(150, 250), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(50, 101), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(120, 130), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(0, 1000), RangeSet::Insert::overlap);
  EXPECT_EQ(set.covered(), 100u);
  EXPECT_EQ(set.insert(200, 200), RangeSet::Insert::added);  // empty
  EXPECT_EQ(set.covered(), 100u);
}

// One range grown at either end stays one range; the first disjoint one makes two, and
// overlaps are refused in both states.
TEST(InitiatorRangeSet, OneRangeGrowsAtBothEndsThenSplits) {
  RangeSet set;
  ASSERT_EQ(set.insert(4096, 8192), RangeSet::Insert::added);
  EXPECT_EQ(set.insert(8192, 12288), RangeSet::Insert::added);
  EXPECT_EQ(set.insert(0, 4096), RangeSet::Insert::added);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_TRUE(set.contiguous_from_zero());
  EXPECT_EQ(set.insert(12287, 12289), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(20000, 20001), RangeSet::Insert::added);
  EXPECT_EQ(set.size(), 2u);
  EXPECT_FALSE(set.contiguous_from_zero());
  EXPECT_EQ(set.insert(0, 1), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(20000, 20001), RangeSet::Insert::overlap);
  EXPECT_EQ(set.insert(12288, 20000), RangeSet::Insert::added);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_TRUE(set.contiguous_from_zero());
  EXPECT_EQ(set.covered(), 20001u);
}

TEST(InitiatorRangeSet, BoundsTheNumberOfSeparateRanges) {
  RangeSet set;
  for (std::uint32_t i = 0; i < kMaxTrackedRanges; ++i) {
    ASSERT_EQ(set.insert(i * 2, i * 2 + 1), RangeSet::Insert::added);
  }
  EXPECT_EQ(set.insert(kMaxTrackedRanges * 2 + 10, kMaxTrackedRanges * 2 + 11),
            RangeSet::Insert::too_many);
  // Filling a hole merges two ranges and is always possible.
  EXPECT_EQ(set.insert(1, 2), RangeSet::Insert::added);
}

}  // namespace
}  // namespace iscsi::initiator::session
