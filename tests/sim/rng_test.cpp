#include "sim/rng.hpp"

#include <gtest/gtest.h>

#include <set>

namespace iscsi::sim {
namespace {

TEST(SimRng, SplitMix64MatchesReferenceOutput) {
  // First outputs of the reference splitmix64.c seeded with 0 (Vigna).
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64(state), 0x6e789e6aa1b965f4ULL);
}

TEST(SimRng, SameSeedSameSequenceDifferentSeedDiffers) {
  SimRng a(42), b(42), c(43);
  bool any_difference = false;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    any_difference |= x != c.next_u64();
  }
  EXPECT_TRUE(any_difference);
}

TEST(SimRng, NamedSubStreamsAreIndependentOfEachOther) {
  EXPECT_EQ(derive_seed(7, "tcp"), derive_seed(7, "tcp"));
  EXPECT_NE(derive_seed(7, "tcp"), derive_seed(7, "chap"));
  EXPECT_NE(derive_seed(7, "tcp"), derive_seed(8, "tcp"));
}

TEST(SimRng, BelowStaysInRangeAndCoversIt) {
  SimRng rng(1);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t v = rng.below(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(rng.below(0), 0u);
  EXPECT_EQ(rng.below(1), 0u);
}

TEST(SimRng, BetweenIsInclusive) {
  SimRng rng(5);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = rng.between(3, 5);
    ASSERT_GE(v, 3u);
    ASSERT_LE(v, 5u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(rng.between(9, 9), 9u);
  EXPECT_EQ(rng.between(9, 2), 9u);
}

TEST(SimRng, FillHandlesLengthsThatAreNotWordMultiples) {
  SimRng a(9), b(9);
  Bytes out(13, 0);
  a.fill(out);
  const std::uint64_t w0 = b.next_u64();
  EXPECT_EQ(out[0], static_cast<std::uint8_t>(w0));
  EXPECT_EQ(out[7], static_cast<std::uint8_t>(w0 >> 56));
  const std::uint64_t w1 = b.next_u64();
  EXPECT_EQ(out[12], static_cast<std::uint8_t>(w1 >> 32));
}

}  // namespace
}  // namespace iscsi::sim
