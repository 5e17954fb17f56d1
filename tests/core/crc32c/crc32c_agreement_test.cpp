// Every implementation agrees with the bitwise oracle on seeded-random data of every length up
// to 1 KiB, around the hardware path's block-tier boundaries and on long inputs, at every start
// alignment 0..15; and extend() chains over arbitrary splits.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/crc32c/crc32c.hpp"
#include "core/crc32c/implementations.hpp"
#include "tests/core/crc32c/implementation_param.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::crc32c {
namespace {

constexpr std::size_t kMaxAlignment = 16;

Bytes random_bytes(test::SeededRng& rng, std::size_t n) {
  Bytes out(n);
  rng.fill(out);
  return out;
}

// Copies `data` to `offset` bytes past a 64-byte-aligned address and digests it there, so the
// head and tail handling of the word-at-a-time paths sees every misalignment.
std::uint32_t extend_at_offset(Implementation impl, std::uint32_t crc, const Bytes& data,
                               std::size_t offset, std::vector<std::uint8_t>& scratch) {
  scratch.assign(data.size() + offset + 64, 0);
  const auto base = reinterpret_cast<std::uintptr_t>(scratch.data());
  const std::size_t lead = (64 - base % 64) % 64;
  std::uint8_t* start = scratch.data() + lead + offset;
  if (!data.empty()) std::memcpy(start, data.data(), data.size());
  return extend_with(impl, crc, ByteView(start, data.size()));
}

void expect_agreement_at_every_alignment(Implementation impl, const Bytes& data,
                                         std::uint32_t crc_in) {
  const std::uint32_t expected = extend_bitwise(crc_in, data);
  std::vector<std::uint8_t> scratch;
  for (std::size_t offset = 0; offset < kMaxAlignment; ++offset) {
    ASSERT_EQ(extend_at_offset(impl, crc_in, data, offset, scratch), expected)
        << name(impl) << " length " << data.size() << " offset " << offset;
  }
}

class Crc32cAgreement : public ImplementationTest {};

TEST_P(Crc32cAgreement, EveryLengthUpTo1KiBAtEveryAlignment) {
  test::SeededRng rng(0x1c5c5eed);
  for (std::size_t length = 0; length <= 1024; ++length) {
    const Bytes data = random_bytes(rng, length);
    const auto crc_in = static_cast<std::uint32_t>(rng.next_u64());
    expect_agreement_at_every_alignment(GetParam(), data, length % 2 == 0 ? 0 : crc_in);
    if (HasFatalFailure()) return;
  }
}

// The three-stream path starts at 200 bytes, runs 3 x 4096-byte chunks, then one chunk of
// 3 x (a multiple of 64) bytes, then a serial tail: lengths on either side of each transition.
TEST_P(Crc32cAgreement, LengthsAroundBlockBoundaries) {
  test::SeededRng rng(42);
  for (std::size_t edge : {192u, 200u, 384u, 12288u, 12288u + 192u, 24576u + 12096u}) {
    for (std::size_t delta = 0; delta <= 16; ++delta) {
      for (std::size_t length : {edge - 8 + delta, edge + 8 * delta}) {
        expect_agreement_at_every_alignment(GetParam(), random_bytes(rng, length), 0x5a5a5a5au);
        if (HasFatalFailure()) return;
      }
    }
  }
}

TEST_P(Crc32cAgreement, RandomMidSizedLengthsAtEveryAlignment) {
  test::SeededRng rng(2024);
  for (int round = 0; round < 100; ++round) {
    const std::size_t length = 1025 + rng.next_u64() % 40000;
    expect_agreement_at_every_alignment(GetParam(), random_bytes(rng, length),
                                        static_cast<std::uint32_t>(rng.next_u64()));
    if (HasFatalFailure()) return;
  }
}

TEST_P(Crc32cAgreement, LongInputsAtEveryAlignment) {
  test::SeededRng rng(7);
  for (std::size_t length : {std::size_t{64} * 1024, std::size_t{1024} * 1024 + 3}) {
    expect_agreement_at_every_alignment(GetParam(), random_bytes(rng, length), 0);
    if (HasFatalFailure()) return;
  }
}

TEST_P(Crc32cAgreement, ChainingOverEverySplitOfOneInput) {
  test::SeededRng rng(99);
  const Bytes data = random_bytes(rng, 2000);
  const std::uint32_t whole = extend_bitwise(0, data);
  const ByteView view(data);
  for (std::size_t split = 0; split <= data.size(); ++split) {
    const std::uint32_t head = extend_with(GetParam(), 0, view.first(split));
    ASSERT_EQ(extend_with(GetParam(), head, view.subspan(split)), whole) << "split " << split;
  }
}

TEST_P(Crc32cAgreement, ChainingOverRandomMultiWaySplits) {
  test::SeededRng rng(1234);
  for (int round = 0; round < 200; ++round) {
    const Bytes data = random_bytes(rng, 1 + rng.next_u64() % 20000);
    const ByteView view(data);
    std::uint32_t crc = 0;
    std::size_t at = 0;
    while (at < data.size()) {
      const std::size_t piece = std::min<std::size_t>(data.size() - at, rng.next_u64() % 5000);
      crc = extend_with(GetParam(), crc, view.subspan(at, piece));
      at += piece;
    }
    ASSERT_EQ(crc, extend_bitwise(0, data)) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(All, Crc32cAgreement, ::testing::ValuesIn(kAllImplementations),
                         implementation_param_name);

TEST(Crc32cPublic, ExtendAgreesWithTheOracleAndChains) {
  test::SeededRng rng(5);
  const Bytes data = random_bytes(rng, 100000);
  const ByteView view(data);
  EXPECT_EQ(compute(data), extend_bitwise(0, data));
  for (std::size_t split : {0u, 1u, 47u, 48u, 8191u, 65536u, 100000u}) {
    EXPECT_EQ(extend(compute(view.first(split)), view.subspan(split)), compute(data));
  }
}

// Digest §1.7: the CRC over data followed by its digest bytes (LSB first) is a constant, so a
// receiver can check a PDU without comparing words; any corrupted bit breaks it.
TEST(Crc32cPublic, DataFollowedByItsDigestLeavesTheGoodResidue) {
  test::SeededRng rng(11);
  for (std::size_t length : {0u, 1u, 4u, 48u, 333u, 8192u}) {
    Bytes pdu = random_bytes(rng, length);
    pdu.resize(length + 4);
    store_digest(pdu.data() + length, compute(ByteView(pdu).first(length)));
    EXPECT_EQ(compute(pdu), kGoodDigestResidue) << "length " << length;
    EXPECT_EQ(extend_bitwise(0, pdu), kGoodDigestResidue) << "length " << length;
    const std::size_t flip = rng.next_u64() % pdu.size();
    pdu[flip] ^= 0x10;
    EXPECT_NE(compute(pdu), kGoodDigestResidue) << "length " << length << " flip " << flip;
  }
}

}  // namespace
}  // namespace iscsi::crc32c
