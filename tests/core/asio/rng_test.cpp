// OsRng and DeterministicRng.
#include <gtest/gtest.h>

#include <set>

#include "core/asio/rng.hpp"
#include "core/asio/runtime.hpp"

namespace iscsi::asio {
namespace {

TEST(DeterministicRng, SameSeedSameSequenceOtherSeedOtherSequence) {
  DeterministicRng a(42);
  DeterministicRng b(42);
  DeterministicRng c(43);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 16; ++i) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  EXPECT_EQ(std::set<std::uint64_t>(va.begin(), va.end()).size(), va.size());
}

// Pins the algorithm, so a seed keeps meaning the same run. Seed 0 gives SplitMix64's
// published first outputs (0xe220a8397b1dcdaf, ...) as the xoshiro256** state; these are the
// reference xoshiro256** outputs for that state.
TEST(DeterministicRng, KnownAnswerForSeedZero) {
  DeterministicRng rng(0);
  EXPECT_EQ(rng.next_u64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(rng.next_u64(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(rng.next_u64(), 0x1a5f849d4933e6e0ULL);
}

TEST(DeterministicRng, FillTakesOneDrawPerEightBytesLeastSignificantFirst) {
  DeterministicRng draws(7);
  DeterministicRng filler(7);
  const std::uint64_t first = draws.next_u64();
  const std::uint64_t second = draws.next_u64();
  Bytes out(11);
  filler.fill(out);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(out[i], static_cast<std::uint8_t>(first >> (8 * i))) << i;
  }
  for (std::size_t i = 8; i < 11; ++i) {
    EXPECT_EQ(out[i], static_cast<std::uint8_t>(second >> (8 * (i - 8)))) << i;
  }
}

TEST(OsRng, FillsEveryByteAndDrawsDiffer) {
  OsRng rng;
  // 64 random bytes are all zero with probability 2^-512.
  Bytes out(64, 0);
  rng.fill(out);
  EXPECT_NE(out, Bytes(64, 0));
  EXPECT_NE(rng.next_u64(), rng.next_u64());
}

TEST(AsioRuntimeRng, SeededWhenAskedOsOtherwise) {
  AsioRuntimeOptions seeded;
  seeded.rng_seed = 5;
  AsioRuntime seeded_a(seeded);
  AsioRuntime seeded_b(seeded);
  EXPECT_EQ(seeded_a.rng().next_u64(), seeded_b.rng().next_u64());
  DeterministicRng reference(5);
  AsioRuntime seeded_c(seeded);
  EXPECT_EQ(seeded_c.rng().next_u64(), reference.next_u64());
  AsioRuntime os_a;
  AsioRuntime os_b;
  EXPECT_NE(os_a.rng().next_u64(), os_b.rng().next_u64());
}

}  // namespace
}  // namespace iscsi::asio
