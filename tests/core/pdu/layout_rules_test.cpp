// Every BHS bit of every opcode is accounted for exactly once: either it is a field (flipping
// it changes the decoded header and raises no observation) or the layout fixes it (flipping it
// leaves the header alone and raises pdu.reserved-field-nonzero or pdu.always-one-bit-clear).
// Plus the always-one bits of checklist items C011/C020 and reserved-zero output (C012).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "tests/core/pdu/distinctive.hpp"
#include "tests/core/pdu/frame_runner.hpp"

namespace iscsi::pdu {
namespace {

constexpr std::size_t kLengthBytesBegin = 4;  // TotalAHSLength and DataSegmentLength
constexpr std::size_t kLengthBytesEnd = 8;

std::vector<std::string> ids(const std::vector<Violation>& observations) {
  std::vector<std::string> out;
  for (const Violation& v : observations) out.emplace_back(v.id());
  return out;
}

TEST(PduLayout, EveryBitIsAFieldOrFixedByTheLayout) {
  for (const Header& header : testing::distinctive_headers()) {
    const Bytes bytes = encode({header, {}, {}});
    int fields = 0;
    int fixed = 0;
    for (std::size_t i = 0; i < kBhsLength; ++i) {
      if (i >= kLengthBytesBegin && i < kLengthBytesEnd) continue;
      for (int bit = 0; bit < 8; ++bit) {
        SCOPED_TRACE(
            fmt::format("{} byte {} bit 0x{:02x}", to_string(opcode(header)), i, 1 << bit));
        Bytes flipped = bytes;
        flipped[i] = static_cast<std::uint8_t>(flipped[i] ^ (1 << bit));
        // Flipping an opcode bit makes another PDU type; those bits are the opcode field.
        if (i == 0 && (1 << bit) <= kOpcodeMask) continue;
        Result<DecodedPdu> decoded = decode(flipped);
        ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
        if (decoded->pdu.header != header) {
          ++fields;
          EXPECT_TRUE(decoded->observations.empty()) << ids(decoded->observations)[0];
        } else {
          ++fixed;
          ASSERT_EQ(decoded->observations.size(), 1u);
          const std::string_view id = decoded->observations[0].id();
          EXPECT_TRUE(id == "pdu.reserved-field-nonzero" || id == "pdu.always-one-bit-clear") << id;
        }
      }
    }
    // 43 bytes minus the 6 opcode bits are checked.
    EXPECT_EQ(fields + fixed, 44 * 8 - 6);
  }
}

TEST(PduLayout, AlwaysOneBitsAreSetByTheEncoder) {
  // C020: byte 1 bit 0x80 of TMF, Logout, NOP, R2T, Async, Reject, SNACK and the responses;
  // C011: a Login Request's byte 0 is 0x43.
  const std::vector<Opcode> final_always_one = {Opcode::nop_out,
                                                Opcode::task_mgmt_request,
                                                Opcode::logout_request,
                                                Opcode::snack_request,
                                                Opcode::nop_in,
                                                Opcode::scsi_response,
                                                Opcode::task_mgmt_response,
                                                Opcode::logout_response,
                                                Opcode::r2t,
                                                Opcode::async_message,
                                                Opcode::reject};
  for (Opcode op : final_always_one) {
    Pdu pdu{*make_header(op), {}, {}};
    EXPECT_EQ(encode(pdu)[1] & 0x80, 0x80) << to_string(op);
  }
  EXPECT_EQ(encode({LoginRequest{}, {}, {}})[0], 0x43);
  EXPECT_EQ(encode({LoginResponse{}, {}, {}})[0], 0x23);
}

TEST(PduLayout, TargetPdusNeverSetByte0HighBits) {
  // C010: bit 0x40 and 0x80 of byte 0 are clear in every target PDU.
  for (const Header& header : testing::distinctive_headers()) {
    const Bytes bytes = encode({header, {}, {}});
    if (is_target_opcode(opcode(header))) {
      EXPECT_EQ(bytes[0] & 0xc0, 0) << to_string(opcode(header));
    }
    EXPECT_EQ(bytes[0] & kOpcodeMask, static_cast<std::uint8_t>(opcode(header)));
  }
}

TEST(PduLayout, ReservedBitsAndMissingAlwaysOneAreObservedNotRejected) {
  // R2T with reserved byte 2 set and the F bit clear.
  Bytes bytes = encode({R2t{.itt = 1, .ttt = 2}, {}, {}});
  bytes[1] = 0x00;
  bytes[2] = 0x5a;
  const testing::Outcome outcome = testing::decode_outcome(bytes);
  ASSERT_TRUE(outcome.pdu.has_value());
  EXPECT_EQ(outcome.pdu->header, Header(R2t{.itt = 1, .ttt = 2}));
  EXPECT_EQ(testing::observation_ids(outcome),
            (std::vector<std::string>{"pdu.reserved-field-nonzero", "pdu.always-one-bit-clear"}));
  EXPECT_NE(outcome.observations[0].find("byte 2 = 0x5a"), std::string::npos)
      << outcome.observations[0];
  const testing::FrameRun run = testing::run_framer_every_way(bytes);
  ASSERT_EQ(run.outcomes.size(), 1u);
  EXPECT_EQ(run.outcomes[0], outcome);
}

TEST(PduLayout, LoginRequestWithoutImmediateBit) {
  Bytes bytes = encode({LoginRequest{.itt = 3}, {}, {}});
  bytes[0] = 0x03;
  const testing::Outcome outcome = testing::decode_outcome(bytes);
  ASSERT_TRUE(outcome.pdu.has_value());
  EXPECT_EQ(testing::observation_ids(outcome),
            std::vector<std::string>{"pdu.always-one-bit-clear"});
}

TEST(PduLayout, DataSegmentOnPduTypeWithoutOne) {
  // C015: R2T, TMF, Logout and SNACK carry no data; a peer's data is delivered with a warning.
  for (Opcode op : {Opcode::r2t, Opcode::task_mgmt_request, Opcode::task_mgmt_response,
                    Opcode::logout_request, Opcode::logout_response, Opcode::snack_request}) {
    const Pdu pdu{*make_header(op), {1, 2, 3, 4}, {}};
    const testing::Outcome outcome = testing::decode_outcome(encode(pdu));
    ASSERT_TRUE(outcome.pdu.has_value()) << to_string(op);
    EXPECT_EQ(outcome.pdu->data, pdu.data);
    EXPECT_EQ(testing::observation_ids(outcome),
              std::vector<std::string>{"pdu.unexpected-data-segment"});
  }
}

}  // namespace
}  // namespace iscsi::pdu
