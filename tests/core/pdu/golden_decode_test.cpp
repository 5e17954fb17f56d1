// Decoding of PDUs written by hand, byte by byte, from the layouts of RFC 7143 §11 (not
// produced by our encoder). Each is also framed at every split and re-encoded to the same
// bytes.
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "tests/core/pdu/frame_runner.hpp"

namespace iscsi::pdu {
namespace {

Bytes hex(std::string_view text) {
  Bytes bytes;
  EXPECT_TRUE(parse_hex(text, bytes)) << text;
  return bytes;
}

void expect_golden(const Bytes& bytes, const Pdu& expected, const DigestOptions& digests = {}) {
  const testing::Outcome outcome = testing::decode_outcome(bytes, digests);
  ASSERT_TRUE(outcome.pdu.has_value()) << outcome.error;
  EXPECT_EQ(*outcome.pdu, expected);
  EXPECT_TRUE(outcome.observations.empty()) << outcome.observations.front();

  const testing::FrameRun run = testing::run_framer_every_way(
      bytes, {.digests = digests, .max_data_segment_length = kMaxDataSegmentLength});
  ASSERT_EQ(run.outcomes.size(), 1u);
  EXPECT_EQ(run.outcomes[0], outcome);
  EXPECT_TRUE(run.clean_end);

  EXPECT_EQ(encode(expected, digests), bytes);
}

// RFC 7143 Appendix (CRC examples) / digest §1.7: a READ(10) BHS and its header digest.
const char kRead10WithHeaderDigest[] =
    "01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018"
    "28000000 00000000 02000000 00000000"
    "563a96d9";

TEST(PduGolden, Read10WithHeaderDigestVector) {
  ScsiCommand h;
  h.final = true;
  h.read = true;
  h.attr = TaskAttribute::untagged;
  h.itt = 0x14000000;
  h.expected_data_transfer_length = 0x400;
  h.cmd_sn = 0x14;
  h.exp_stat_sn = 0x18;
  h.cdb = {0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0};
  expect_golden(hex(kRead10WithHeaderDigest), {h, {}, {}}, {.header = true, .data = false});
}

TEST(PduGolden, Read10BadHeaderDigestFails) {
  Bytes bytes = hex(kRead10WithHeaderDigest);
  bytes[48] ^= 0x01;
  Result<DecodedPdu> decoded = decode(bytes, {.header = true, .data = false});
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().id(), "pdu.header-digest-mismatch");
}

TEST(PduGolden, LoginRequest) {
  // I=1 opcode 3; T=1 CSG=1 NSG=3; ISID T=2 A=0 B=0x1234 C=0x56 D=0x0001; ITT 1; CmdSN 5;
  // "SessionType=Discovery\0" (22 bytes) + 2 pad bytes.
  const Bytes bytes =
      hex("43870000 00000016 80123456 00010000 00000001 00000000 00000005 00000000"
          "00000000 00000000 00000000 00000000"
          "53657373 696f6e54 7970653d 44697363 6f766572 79000000");
  LoginRequest h;
  h.transit = true;
  h.csg = Stage::login_operational_negotiation;
  h.nsg = Stage::full_feature_phase;
  h.isid = Isid::make(IsidType::random, 0, 0x1234, 0x56, 0x0001);
  h.itt = 1;
  h.cmd_sn = 5;
  expect_golden(bytes, {h, to_bytes(std::string_view("SessionType=Discovery\0", 22)), {}});
  EXPECT_EQ(h.isid.t(), IsidType::random);
  EXPECT_EQ(h.isid.b(), 0x1234);
}

TEST(PduGolden, LoginResponseAuthenticationFailure) {
  // T=0 CSG=0 NSG=0; Version-max 0, Version-active 0; Status-Class 2, Status-Detail 1.
  const Bytes bytes =
      hex("23000000 00000000 00023d00 00000000 00000000 00000000 00000001 00000002"
          "00000021 02010000 00000000 00000000");
  LoginResponse h;
  h.isid = Isid::make(IsidType::oui, 0, 0x023d, 0, 0);
  h.stat_sn = 1;
  h.exp_cmd_sn = 2;
  h.max_cmd_sn = 0x21;
  h.status_class = 2;
  h.status_detail = 1;
  expect_golden(bytes, {h, {}, {}});
  EXPECT_EQ(h.status(), LoginStatus::authentication_failure);
}

TEST(PduGolden, ScsiResponseCheckCondition) {
  // Status 0x02 with 18 bytes of fixed-format sense (NOT READY, 3A/00) behind SenseLength.
  const Bytes bytes =
      hex("21800002 00000014 00000000 00000000 0000002a 00000000 00000064 0000000b"
          "0000002a 00000000 00000000 00000000"
          "00127000 02000000 000a0000 00003a00 00000000");
  ScsiResponse h;
  h.status = 0x02;
  h.itt = 0x2a;
  h.stat_sn = 100;
  h.exp_cmd_sn = 11;
  h.max_cmd_sn = 42;
  expect_golden(bytes, {h, hex("0012 700002000000000a000000003a0000000000"), {}});
}

TEST(PduGolden, DataInWithStatusAndUnderflow) {
  // F=1 U=1 S=1 status GOOD; LUN 1; TTT 0xffffffff; residual 92; 36 data bytes.
  const Bytes data =
      hex("00000005 32000000 61626364 65666768 696a6b6c 6d6e6f70 71727374 75767778 797a3031");
  const Bytes bytes =
      hex("25830000 00000024 00010000 00000000 0000002b ffffffff 00000065 0000000c"
          "0000002b 00000000 00000000 0000005c" +
          to_hex(data));
  ScsiDataIn h;
  h.final = true;
  h.residual_underflow = true;
  h.status_present = true;
  h.lun = *Lun::from_number(1);
  h.itt = 0x2b;
  h.stat_sn = 101;
  h.exp_cmd_sn = 12;
  h.max_cmd_sn = 0x2b;
  h.residual_count = 92;
  expect_golden(bytes, {h, data, {}});
}

TEST(PduGolden, DataInWithDataDigest) {
  // 5 data bytes, 3 pad bytes; CRC32C over "hello" + 00 00 00 computed independently with
  // a separate bitwise CRC-32C script: 0x9003edb3, sent as b3 ed 03 90.
  const Bytes bytes =
      hex("25000000 00000005 00000000 00000000 00000001 ffffffff 00000000 00000000"
          "00000000 00000003 00001000 00000000"
          "68656c6c 6f000000 b3ed0390");
  ScsiDataIn h;
  h.itt = 1;
  h.data_sn = 3;
  h.buffer_offset = 0x1000;
  expect_golden(bytes, {h, to_bytes("hello"), {}}, {.header = false, .data = true});
}

TEST(PduGolden, ReadyToTransfer) {
  const Bytes bytes =
      hex("31800000 00000000 00010000 00000000 0000002c 00001000 00000066 0000000d"
          "0000002c 00000001 00002000 00010000");
  R2t h;
  h.lun = *Lun::from_number(1);
  h.itt = 0x2c;
  h.ttt = 0x1000;
  h.stat_sn = 102;
  h.exp_cmd_sn = 13;
  h.max_cmd_sn = 0x2c;
  h.r2t_sn = 1;
  h.buffer_offset = 0x2000;
  h.desired_data_transfer_length = 0x10000;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, RejectCarryingRejectedBhs) {
  const Bytes rejected = hex(std::string_view(kRead10WithHeaderDigest).substr(0, 106));
  ASSERT_EQ(rejected.size(), kBhsLength);
  const Bytes bytes =
      hex("3f800900 00000030 00000000 00000000 ffffffff 00000000 00000067 0000000e"
          "0000002d 00000000 00000000 00000000" +
          to_hex(rejected));
  Reject h;
  h.reason = RejectReason::invalid_pdu_field;
  h.stat_sn = 103;
  h.exp_cmd_sn = 14;
  h.max_cmd_sn = 0x2d;
  expect_golden(bytes, {h, rejected, {}});
}

TEST(PduGolden, AsyncMessageLogoutRequest) {
  const Bytes bytes =
      hex("32800000 00000000 00000000 00000000 ffffffff 00000000 00000068 0000000f"
          "0000002e 01000000 0000001e 00000000");
  AsyncMessage h;
  h.stat_sn = 104;
  h.exp_cmd_sn = 15;
  h.max_cmd_sn = 0x2e;
  h.async_event = AsyncEvent::logout_request;
  h.parameter3 = 30;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, NopOutAnsweringTargetPing) {
  // I=1; ITT 0xffffffff; TTT echoed from the NOP-In; LUN echoed.
  const Bytes bytes =
      hex("40800000 00000000 00020000 00000000 ffffffff 00001234 00000010 00000069"
          "00000000 00000000 00000000 00000000");
  NopOut h;
  h.immediate = true;
  h.lun = *Lun::from_number(2);
  h.itt = kReservedTag;
  h.ttt = 0x1234;
  h.cmd_sn = 0x10;
  h.exp_stat_sn = 0x69;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, TaskManagementAbortTask) {
  const Bytes bytes =
      hex("42810000 00000000 00010000 00000000 00000030 0000002c 00000011 0000006a"
          "0000000d 00000000 00000000 00000000");
  TaskMgmtRequest h;
  h.immediate = true;
  h.function = TmfFunction::abort_task;
  h.lun = *Lun::from_number(1);
  h.itt = 0x30;
  h.referenced_task_tag = 0x2c;
  h.cmd_sn = 0x11;
  h.exp_stat_sn = 0x6a;
  h.ref_cmd_sn = 0x0d;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, LogoutResponse) {
  const Bytes bytes =
      hex("26800000 00000000 00000000 00000000 00000031 00000000 0000006b 00000012"
          "00000031 00000000 00020014 00000000");
  LogoutResponse h;
  h.itt = 0x31;
  h.stat_sn = 0x6b;
  h.exp_cmd_sn = 0x12;
  h.max_cmd_sn = 0x31;
  h.time2wait = 2;
  h.time2retain = 20;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, StatusSnack) {
  const Bytes bytes =
      hex("10810000 00000000 00000000 00000000 ffffffff ffffffff 00000000 0000006c"
          "00000000 00000000 00000064 00000002");
  SnackRequest h;
  h.type = SnackType::status;
  h.itt = kReservedTag;
  h.ttt = kReservedTag;
  h.exp_stat_sn = 0x6c;
  h.beg_run = 100;
  h.run_length = 2;
  expect_golden(bytes, {h, {}, {}});
}

TEST(PduGolden, FlatSpaceLun) {
  // LUN 300 = 0x012c in flat space addressing: 41 2c 00 00 00 00 00 00.
  const Bytes bytes =
      hex("20800000 00000000 412c0000 00000000 ffffffff 00000077 00000001 00000002"
          "00000003 00000000 00000000 00000000");
  NopIn h;
  h.lun = *Lun::from_number(300);
  h.itt = kReservedTag;
  h.ttt = 0x77;
  h.stat_sn = 1;
  h.exp_cmd_sn = 2;
  h.max_cmd_sn = 3;
  expect_golden(bytes, {h, {}, {}});
  EXPECT_EQ(h.lun.to_number(), 300);
}

}  // namespace
}  // namespace iscsi::pdu
