// Encode -> decode round trips for all 18 opcodes, with and without digests, and the AHS cases
// of checklist items C004/C005/C019.
#include <gtest/gtest.h>

#include <set>

#include <fmt/format.h>

#include "core/pdu/codec.hpp"
#include "tests/core/pdu/distinctive.hpp"
#include "tests/core/pdu/frame_runner.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::pdu {
namespace {

using testing::decode_outcome;
using testing::distinctive_headers;

constexpr DigestOptions kDigestCombinations[] = {
    {.header = false, .data = false},
    {.header = true, .data = false},
    {.header = false, .data = true},
    {.header = true, .data = true},
};

// A data segment for PDUs whose layout carries one; its length differs per opcode so every
// pad length 0-3 occurs.
Pdu distinctive_pdu(const Header& header) {
  Pdu pdu{header, {}, {}};
  const auto code = static_cast<std::uint8_t>(opcode(header));
  const bool carries_data =
      opcode(header) != Opcode::task_mgmt_request && opcode(header) != Opcode::task_mgmt_response &&
      opcode(header) != Opcode::logout_request && opcode(header) != Opcode::logout_response &&
      opcode(header) != Opcode::r2t && opcode(header) != Opcode::snack_request;
  if (carries_data) pdu.data = test::pattern_bytes(40u + code % 4u, code);
  return pdu;
}

TEST(PduRoundTrip, DistinctiveHeadersCoverAllOpcodes) {
  std::set<Opcode> seen;
  for (const Header& header : distinctive_headers()) seen.insert(opcode(header));
  EXPECT_EQ(seen, std::set<Opcode>(kAllOpcodes.begin(), kAllOpcodes.end()));
}

TEST(PduRoundTrip, EveryOpcodeEveryDigestCombination) {
  for (const Header& header : distinctive_headers()) {
    const Pdu pdu = distinctive_pdu(header);
    for (const DigestOptions& digests : kDigestCombinations) {
      SCOPED_TRACE(fmt::format("{} header digest {} data digest {}", to_string(opcode(header)),
                               digests.header, digests.data));
      const Bytes bytes = encode(pdu, digests);
      EXPECT_EQ(bytes.size(), encoded_length(pdu, digests));
      EXPECT_EQ(pdu_wire_length(bytes, digests), bytes.size());
      Result<DecodedPdu> decoded = decode(bytes, digests);
      ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
      EXPECT_EQ(decoded->pdu, pdu);
      EXPECT_TRUE(decoded->observations.empty()) << decoded->observations.front().to_string();
    }
  }
}

// Zero-copy senders encode the header and the trailer apart from a data segment that stays
// where it is: header + data + trailer must decode to the PDU carrying that data, for every pad
// length and digest combination, with pdu.data itself left empty.
TEST(PduRoundTrip, HeaderDataTrailerPiecesDecodeToTheWholePdu) {
  for (const Header& header : distinctive_headers()) {
    if (distinctive_pdu(header).data.empty()) continue;
    for (const std::size_t length : {std::size_t{0}, std::size_t{1}, std::size_t{2},
                                     std::size_t{3}, std::size_t{4}, std::size_t{8193}}) {
      const Bytes data = test::pattern_bytes(length, 9);
      for (const DigestOptions& digests : kDigestCombinations) {
        SCOPED_TRACE(fmt::format("{} length {} header digest {} data digest {}",
                                 to_string(opcode(header)), length, digests.header, digests.data));
        const Pdu header_only{header, {}, {}};
        Bytes wire;
        encode_header_to(header_only, data.size(), digests, wire);
        EXPECT_EQ(wire.size(), kBhsLength + (digests.header ? kDigestLength : 0));
        wire.insert(wire.end(), data.begin(), data.end());
        encode_trailer_to(data, digests, wire);
        const Pdu whole{header, data, {}};
        EXPECT_EQ(wire.size(), encoded_length(whole, digests));
        Result<DecodedPdu> decoded = decode(wire, digests);
        ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
        EXPECT_EQ(decoded->pdu, whole);
        EXPECT_TRUE(decoded->observations.empty());
      }
    }
  }
}

TEST(PduRoundTrip, EncoderWritesLengthsAndPadding) {
  Pdu pdu{NopOut{}, test::pattern_bytes(5), {}};
  const Bytes bytes = encode(pdu, {.header = true, .data = true});
  // BHS 48 + header digest 4 + data 5 + pad 3 + data digest 4.
  ASSERT_EQ(bytes.size(), 64u);
  EXPECT_EQ(bytes[4], 0);
  EXPECT_EQ(load_be24(bytes.data() + 5), 5u);
  EXPECT_EQ(Bytes(bytes.begin() + 57, bytes.begin() + 60), Bytes(3, 0));
}

TEST(PduRoundTrip, NoDataDigestWithoutData) {
  // RFC 7143 §13.1: the data digest is absent when DataSegmentLength is 0.
  const Pdu pdu{R2t{}, {}, {}};
  EXPECT_EQ(encode(pdu, {.header = false, .data = true}).size(), kBhsLength);
}

TEST(PduRoundTrip, ExtendedCdbAhsFor32ByteCdb) {
  // C004: a 32-byte CDB needs AHSLength 17 (16 CDB bytes + 1 reserved) and TotalAHSLength 5.
  const Bytes cdb = test::pattern_bytes(32, 9);
  const Pdu pdu = test::scsi_command({.itt = 5}, 1, cdb, 0, true, false);
  const Bytes bytes = encode(pdu);
  ASSERT_EQ(bytes.size(), kBhsLength + 20);
  EXPECT_EQ(bytes[4], 5);
  EXPECT_EQ(load_be16(bytes.data() + 48), 17);
  EXPECT_EQ(bytes[50], 0x01);
  EXPECT_EQ(bytes[51], 0x00);
  EXPECT_EQ(Bytes(bytes.begin() + 52, bytes.end()), Bytes(cdb.begin() + 16, cdb.end()));
  Result<DecodedPdu> decoded = decode(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded->pdu, pdu);
  EXPECT_EQ(full_cdb(decoded->pdu), cdb);
  EXPECT_TRUE(decoded->observations.empty());
}

TEST(PduRoundTrip, BidirectionalReadLengthAhs) {
  // C005: AHSLength 5, AHSType 2, one reserved byte, the 4-byte length: 8 bytes, 2 words.
  Pdu pdu = test::scsi_command({.itt = 6}, 1, test::pattern_bytes(10, 1), 512, true, true);
  pdu.ahs.push_back(BidiReadLengthAhs{0x01020304});
  const Bytes bytes = encode(pdu);
  ASSERT_EQ(bytes.size(), kBhsLength + 8);
  EXPECT_EQ(bytes[4], 2);
  EXPECT_EQ(Bytes(bytes.begin() + 48, bytes.end()),
            (Bytes{0x00, 0x05, 0x02, 0x00, 0x01, 0x02, 0x03, 0x04}));
  Result<DecodedPdu> decoded = decode(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded->pdu, pdu);
  EXPECT_EQ(bidi_read_expected_length(decoded->pdu), 0x01020304u);
}

TEST(PduRoundTrip, BothAhsTypesWithDigests) {
  Pdu pdu = test::scsi_command({.itt = 7}, 3, test::pattern_bytes(18, 2), 100, true, true);
  pdu.ahs.push_back(BidiReadLengthAhs{77});
  pdu.data = test::pattern_bytes(100, 3);
  const DigestOptions digests{.header = true, .data = true};
  const Bytes bytes = encode(pdu, digests);
  // Extended CDB: 3 + 1 + 2 bytes padded to 8; Bidi: 8 -> 16 bytes = 4 words.
  EXPECT_EQ(bytes[4], 4);
  const testing::Outcome outcome = decode_outcome(bytes, digests);
  ASSERT_TRUE(outcome.pdu.has_value()) << outcome.error;
  EXPECT_EQ(*outcome.pdu, pdu);
  EXPECT_EQ(full_cdb(*outcome.pdu)->size(), 18u);
}

TEST(PduRoundTrip, UnknownAhsTypeIsKeptVerbatimWithWarning) {
  Pdu pdu{NopOut{.itt = 1}, {}, {RawAhs{.type = 3, .specific = {0xde, 0xad, 0xbe, 0xef, 0x01}}}};
  const Bytes bytes = encode(pdu);
  EXPECT_EQ(bytes[4], 2);
  const testing::Outcome outcome = decode_outcome(bytes);
  ASSERT_TRUE(outcome.pdu.has_value()) << outcome.error;
  EXPECT_EQ(*outcome.pdu, pdu);
  EXPECT_EQ(testing::observation_ids(outcome), std::vector<std::string>{"pdu.unknown-ahs-type"});
}

// The Framer decodes every header into the same DecodedPdu: a PDU after one with an AHS chain,
// data and an observation carries none of them over.
TEST(PduRoundTrip, DecodingIntoAUsedPduReplacesAllOfIt) {
  const Pdu with_everything{
      NopOut{.itt = 1}, test::pattern_bytes(8, 1), {RawAhs{.type = 3, .specific = {1, 2, 3}}}};
  const Pdu plain{NopOut{.itt = 2}, {}, {}};
  const Bytes first = encode(with_everything);
  const Bytes second = encode(plain);

  DecodedPdu decoded;
  decoded.pdu.data = test::pattern_bytes(5, 9);
  ASSERT_TRUE(decode_header_into(ByteView(first).first(kBhsLength + first[4] * 4u), decoded).ok());
  EXPECT_EQ(decoded.pdu.ahs, with_everything.ahs);
  EXPECT_TRUE(decoded.pdu.data.empty());
  EXPECT_EQ(decoded.observations.size(), 1u);
  ASSERT_TRUE(decode_header_into(ByteView(second).first(kBhsLength), decoded).ok());
  EXPECT_EQ(decoded.pdu, plain);
  EXPECT_TRUE(decoded.observations.empty());
  // Another PDU type replaces the header, and the same type again keeps nothing of the last.
  const Pdu data_in{ScsiDataIn{.status_present = true, .itt = 3, .residual_count = 7}, {}, {}};
  ASSERT_TRUE(decode_header_into(encode(data_in), decoded).ok());
  EXPECT_EQ(decoded.pdu, data_in);
  const Pdu next_data_in{ScsiDataIn{.itt = 4, .data_sn = 1}, {}, {}};
  ASSERT_TRUE(decode_header_into(encode(next_data_in), decoded).ok());
  EXPECT_EQ(decoded.pdu, next_data_in);

  // The same through the Framer, in every cut of the stream.
  Bytes stream = first;
  stream.insert(stream.end(), second.begin(), second.end());
  const testing::FrameRun run = testing::run_framer_every_way(stream);
  ASSERT_EQ(run.outcomes.size(), 2u);
  EXPECT_EQ(run.outcomes[0].pdu, with_everything);
  EXPECT_EQ(run.outcomes[1].pdu, plain);
  EXPECT_TRUE(run.outcomes[1].observations.empty());
}

TEST(PduRoundTrip, SetCdbReplacesExtendedCdb) {
  Pdu pdu = test::scsi_command({.itt = 8}, 0, test::pattern_bytes(24), 0, false, false);
  ASSERT_EQ(pdu.ahs.size(), 1u);
  const Bytes short_cdb = {0x00, 0, 0, 0, 0, 0};
  ASSERT_TRUE(set_cdb(pdu, short_cdb));
  EXPECT_TRUE(pdu.ahs.empty());
  Bytes expected(16, 0);
  EXPECT_EQ(full_cdb(pdu), expected);
  Pdu not_command{NopIn{}, {}, {}};
  EXPECT_FALSE(set_cdb(not_command, short_cdb));
  EXPECT_EQ(full_cdb(not_command), std::nullopt);
}

TEST(PduRoundTrip, BuilderPdusRoundTrip) {
  for (const Pdu& pdu : test::mixed_pdus()) {
    SCOPED_TRACE(to_string(opcode(pdu)));
    for (const DigestOptions& digests : kDigestCombinations) {
      const testing::Outcome outcome = decode_outcome(encode(pdu, digests), digests);
      ASSERT_TRUE(outcome.pdu.has_value()) << outcome.error;
      EXPECT_EQ(*outcome.pdu, pdu);
      EXPECT_TRUE(outcome.observations.empty());
    }
  }
}

TEST(PduRoundTrip, NotEncodableIsReported) {
  Pdu big{ScsiDataOut{}, Bytes(kMaxDataSegmentLength + 1), {}};
  Result<void> checked = check_encodable(big);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().id(), "pdu.not-encodable");
  Pdu many_ahs{NopOut{}, {}, std::vector<Ahs>(256, RawAhs{.type = 5, .specific = {}})};
  EXPECT_FALSE(check_encodable(many_ahs).ok());
  Pdu fits{NopOut{}, {}, std::vector<Ahs>(255, RawAhs{.type = 5, .specific = {}})};
  EXPECT_TRUE(check_encodable(fits).ok());
}

}  // namespace
}  // namespace iscsi::pdu
