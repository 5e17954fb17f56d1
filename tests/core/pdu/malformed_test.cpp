// Malformed input gives a typed error or a warning, never a crash: truncation at every
// length, digests, reserved and vendor opcodes, inconsistent AHS chains, pad bytes, and
// random streams through the framer.
#include <gtest/gtest.h>

#include "core/crc32c/crc32c.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "tests/core/pdu/frame_runner.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::pdu {
namespace {

constexpr DigestOptions kBothDigests{.header = true, .data = true};

std::string error_id(const testing::Outcome& outcome) {
  return outcome.error.substr(0, outcome.error.find(' '));
}

TEST(PduMalformed, EveryTruncationLength) {
  Pdu pdu = test::scsi_command({.itt = 1}, 1, test::pattern_bytes(20), 64, false, true);
  pdu.data = test::pattern_bytes(13);
  for (const DigestOptions& digests : {DigestOptions{}, kBothDigests}) {
    const Bytes bytes = encode(pdu, digests);
    for (std::size_t length = 0; length < bytes.size(); ++length) {
      SCOPED_TRACE(length);
      const ByteView prefix = ByteView(bytes).first(length);
      const testing::Outcome outcome = testing::decode_outcome(prefix, digests);
      EXPECT_EQ(error_id(outcome), "pdu.truncated");
      EXPECT_TRUE(outcome.fatal);
      const testing::FrameRun run = testing::run_framer(prefix, {length}, {.digests = digests});
      EXPECT_TRUE(run.outcomes.empty());
      EXPECT_EQ(run.clean_end, length == 0);
    }
  }
}

TEST(PduMalformed, TrailingBytes) {
  Bytes bytes = encode(test::nop_out_ping({}, {}));
  bytes.push_back(0);
  EXPECT_EQ(error_id(testing::decode_outcome(bytes)), "pdu.trailing-bytes");
}

TEST(PduMalformed, DecodeBhsNeeds48Bytes) {
  Result<DecodedPdu> decoded = decode_bhs(Bytes(47, 0));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().id(), "pdu.truncated");
  const Bytes bytes = encode(test::mixed_pdus()[4]);
  Result<DecodedPdu> bhs_only = decode_bhs(bytes);
  ASSERT_TRUE(bhs_only.ok());
  EXPECT_EQ(bhs_only->pdu.header, test::mixed_pdus()[4].header);
}

TEST(PduMalformed, EveryCorruptedHeaderByteFailsTheHeaderDigest) {
  const Bytes bytes = encode(test::scsi_read10({.itt = 3}, {.lun = 1}), kBothDigests);
  for (std::size_t i = 0; i < kBhsLength + kDigestLength; ++i) {
    // Corrupting byte 4 changes TotalAHSLength and therefore where the digest is read from.
    Bytes corrupted = bytes;
    corrupted[i] ^= 0x20;
    Bytes stream = corrupted;
    const std::size_t needed = pdu_wire_length(corrupted, kBothDigests);
    if (needed > stream.size()) stream.resize(needed, 0);
    const testing::Outcome outcome = testing::decode_outcome(stream, kBothDigests);
    EXPECT_EQ(error_id(outcome), "pdu.header-digest-mismatch") << "byte " << i;
    EXPECT_TRUE(outcome.fatal);
  }
}

TEST(PduMalformed, DataDigestMismatchIsRecoverable) {
  const Pdu first = test::text_request({.itt = 1}, test::key_text({{"SendTargets", "All"}}));
  const Pdu second = test::nop_out_ping({.itt = 2}, test::pattern_bytes(3));
  Bytes bad = encode(first, kBothDigests);
  bad[kBhsLength + kDigestLength + 2] ^= 0x01;  // a data byte
  Bytes stream = bad;
  encode_to(second, kBothDigests, stream);
  const testing::FrameRun run = testing::run_framer_every_way(stream, {.digests = kBothDigests});
  ASSERT_EQ(run.outcomes.size(), 2u);
  EXPECT_EQ(error_id(run.outcomes[0]), "pdu.data-digest-mismatch");
  EXPECT_FALSE(run.outcomes[0].fatal);
  // The error carries the BHS for the Reject 0x02 that answers it (RFC 7143 §11.17).
  EXPECT_EQ(run.outcomes[0].error_bhs, Bytes(bad.begin(), bad.begin() + kBhsLength));
  ASSERT_TRUE(run.outcomes[1].pdu.has_value());
  EXPECT_EQ(*run.outcomes[1].pdu, second);
  EXPECT_TRUE(run.clean_end);
}

TEST(PduMalformed, CorruptedDataDigestBytes) {
  const Bytes good = encode(test::nop_out_ping({}, test::pattern_bytes(9)), kBothDigests);
  for (std::size_t i = good.size() - kDigestLength; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x80;
    EXPECT_EQ(error_id(testing::decode_outcome(bad, kBothDigests)), "pdu.data-digest-mismatch");
  }
}

TEST(PduMalformed, ReservedAndVendorOpcodesAreSkipped) {
  // C007/C009: undefined opcodes are typed errors; their lengths still frame the stream.
  const Pdu after = test::nop_out_ping({.itt = 9}, {});
  for (const std::uint8_t code : std::vector<std::uint8_t>{0x07, 0x3b, 0x1f, 0x1c, 0x3d}) {
    Bytes stream = encode(test::nop_out_ping({.itt = 1}, test::pattern_bytes(6)));
    stream[0] = code;
    encode_to(after, {}, stream);
    const testing::FrameRun run = testing::run_framer_every_way(stream);
    ASSERT_EQ(run.outcomes.size(), 2u) << int{code};
    const bool vendor = (code >= 0x1c && code <= 0x1e) || (code >= 0x3c && code <= 0x3e);
    EXPECT_EQ(error_id(run.outcomes[0]), vendor ? "pdu.vendor-opcode" : "pdu.reserved-opcode");
    EXPECT_FALSE(run.outcomes[0].fatal);
    EXPECT_EQ(run.outcomes[0].error_bhs[0], code);
    ASSERT_TRUE(run.outcomes[1].pdu.has_value());
    EXPECT_EQ(*run.outcomes[1].pdu, after);
  }
}

TEST(PduMalformed, TotalAhsLengthPastTheEnd) {
  // TotalAHSLength 3 words but no AHS bytes follow: the PDU is incomplete.
  Bytes bytes = encode(test::scsi_read10({}, {}));
  bytes[4] = 3;
  EXPECT_EQ(error_id(testing::decode_outcome(bytes)), "pdu.truncated");
  const testing::FrameRun run = testing::run_framer(bytes, {bytes.size()}, {});
  EXPECT_TRUE(run.outcomes.empty());
  EXPECT_FALSE(run.clean_end);
}

TEST(PduMalformed, AhsLengthRunsPastTotalAhsLength) {
  // One word of AHS whose AHSLength claims 17 bytes.
  Bytes bytes = encode(test::scsi_read10({}, {}));
  bytes[4] = 1;
  const Bytes ahs = {0x00, 0x11, 0x01, 0x00};
  bytes.insert(bytes.begin() + kBhsLength, ahs.begin(), ahs.end());
  const Pdu after = test::nop_out_ping({.itt = 4}, {});
  encode_to(after, {}, bytes);
  const testing::FrameRun run = testing::run_framer_every_way(bytes);
  ASSERT_EQ(run.outcomes.size(), 2u);
  EXPECT_EQ(error_id(run.outcomes[0]), "pdu.ahs-length-mismatch");
  EXPECT_EQ(*run.outcomes[1].pdu, after);
}

TEST(PduMalformed, BidiAhsWithWrongLengthIsKeptRaw) {
  Pdu pdu = test::scsi_read10({}, {});
  pdu.ahs.push_back(RawAhs{.type = 2, .specific = {0, 1, 2}});
  const testing::Outcome outcome = testing::decode_outcome(encode(pdu));
  ASSERT_TRUE(outcome.pdu.has_value());
  EXPECT_EQ(*outcome.pdu, pdu);
  EXPECT_EQ(testing::observation_ids(outcome),
            std::vector<std::string>{"pdu.ahs-unexpected-length"});
}

TEST(PduMalformed, NonZeroPadIsDeliveredWithWarning) {
  // C189: the data digest covers the pad as received.
  const Pdu pdu = test::nop_out_ping({.itt = 5}, test::pattern_bytes(5));
  for (const DigestOptions& digests : {DigestOptions{}, kBothDigests}) {
    Bytes bytes = encode(pdu, digests);
    const std::size_t pad_at = kBhsLength + (digests.header ? kDigestLength : 0) + 5;
    bytes[pad_at + 1] = 0xee;
    if (digests.data) {
      const std::uint32_t crc = crc32c::compute(ByteView(bytes).subspan(pad_at - 5, 8));
      crc32c::store_digest(bytes.data() + pad_at + 3, crc);
    }
    const testing::FrameRun run = testing::run_framer_every_way(bytes, {.digests = digests});
    ASSERT_EQ(run.outcomes.size(), 1u);
    ASSERT_TRUE(run.outcomes[0].pdu.has_value()) << run.outcomes[0].error;
    EXPECT_EQ(*run.outcomes[0].pdu, pdu);
    EXPECT_EQ(testing::observation_ids(run.outcomes[0]),
              std::vector<std::string>{"pdu.nonzero-pad"});
  }
}

TEST(PduMalformed, DigestOverZeroPadFailsWhenPadIsNotZero) {
  const Pdu pdu = test::nop_out_ping({}, test::pattern_bytes(5));
  Bytes bytes = encode(pdu, kBothDigests);
  bytes[kBhsLength + kDigestLength + 6] = 0x01;  // pad changed, digest still over zero pad
  EXPECT_EQ(error_id(testing::decode_outcome(bytes, kBothDigests)), "pdu.data-digest-mismatch");
}

// SplitMix64, so the random streams are the same on every run.
std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

TEST(PduMalformed, RandomStreamsNeverCrash) {
  // Valid PDUs with random bytes overwritten, fed in random chunks: only typed outcomes.
  const Bytes clean = test::wire_stream(test::mixed_pdus(), kBothDigests);
  std::uint64_t state = 42;
  for (int round = 0; round < 300; ++round) {
    Bytes stream = clean;
    const int flips = 1 + static_cast<int>(next_random(state) % 8);
    for (int f = 0; f < flips; ++f) {
      stream[next_random(state) % stream.size()] = static_cast<std::uint8_t>(next_random(state));
    }
    std::vector<std::size_t> chunks;
    for (std::size_t total = 0; total < stream.size();) {
      chunks.push_back(1 + next_random(state) % 700);
      total += chunks.back();
    }
    const testing::FrameRun chunked =
        testing::run_framer(stream, chunks, {.digests = kBothDigests});
    const testing::FrameRun whole =
        testing::run_framer(stream, {stream.size()}, {.digests = kBothDigests});
    EXPECT_EQ(chunked, whole) << "round " << round;
    for (const testing::Outcome& outcome : whole.outcomes) {
      if (!outcome.pdu) {
        EXPECT_FALSE(error_id(outcome).empty());
      }
    }
  }
}

}  // namespace
}  // namespace iscsi::pdu
