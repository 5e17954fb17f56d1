// SeededRng and ScriptedRng: reproducible randomness for tests (DESIGN.md: randomness only
// through runtime::Rng).
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "tests/support/fake_runtime.hpp"

namespace iscsi::test {
namespace {

TEST(SeededRng, MatchesPublishedSplitMix64Output) {
  // First outputs of SplitMix64 seeded with 0 (the reference sequence of Vigna's splitmix64.c).
  SeededRng rng(0);
  EXPECT_EQ(rng.next_u64(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next_u64(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next_u64(), 0x06C45D188009454Full);
}

TEST(SeededRng, SameSeedSameSequenceDifferentSeedDifferentSequence) {
  SeededRng a(12345);
  SeededRng b(12345);
  SeededRng c(12346);
  std::vector<std::uint64_t> va, vb, vc;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
}

TEST(SeededRng, FillUsesOneDrawPerEightBytesLeastSignificantFirst) {
  SeededRng reference(77);
  const std::uint64_t first = reference.next_u64();
  const std::uint64_t second = reference.next_u64();
  const std::uint64_t third = reference.next_u64();
  SeededRng rng(77);
  Bytes out(11);
  rng.fill(out);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(out[i], static_cast<std::uint8_t>(first >> (8 * i))) << i;
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(out[8 + i], static_cast<std::uint8_t>(second >> (8 * i))) << i;
  }
  // The partial last word consumed a whole draw.
  EXPECT_EQ(rng.next_u64(), third);
}

TEST(SeededRng, FillOfNothingDrawsNothing) {
  SeededRng a(5);
  SeededRng b(5);
  a.fill(MutableByteView{});
  EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(ScriptedRng, ReturnsTheScriptInOrderAndRepeats) {
  ScriptedRng rng(Bytes{1, 2, 3});
  Bytes out(7);
  rng.fill(out);
  EXPECT_EQ(out, (Bytes{1, 2, 3, 1, 2, 3, 1}));
}

TEST(ScriptedRng, NextU64TakesEightBytesMostSignificantFirst) {
  ScriptedRng rng(Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09});
  EXPECT_EQ(rng.next_u64(), 0x0102030405060708ull);
  EXPECT_EQ(rng.next_u64(), 0x0901020304050607ull);
}

TEST(ScriptedRng, EmptyScriptIsRejected) {
  EXPECT_THROW(ScriptedRng(Bytes{}), std::invalid_argument);
}

}  // namespace
}  // namespace iscsi::test
