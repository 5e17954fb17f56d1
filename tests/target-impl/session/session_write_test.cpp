// Writes through the engine: R2Ts on the wire, data to the Port, residuals, data errors.
#include <gtest/gtest.h>

#include "core/pdu/framer.hpp"
#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::data_out;
using iscsi::test::pattern_bytes;
using iscsi::test::scsi_write10;


// Sends [begin, end) of `data` as one Data-Out sequence of 8 KiB PDUs; returns all outputs.
std::vector<Output> send_sequence(Harness& h, const Bytes& data, std::uint32_t ttt,
                                  std::uint32_t begin, std::uint32_t end) {
  std::vector<Output> outputs;
  std::uint32_t data_sn = 0;
  for (std::uint32_t offset = begin; offset < end; offset += 8192) {
    const std::uint32_t size = std::min<std::uint32_t>(8192, end - offset);
    const pdu::Pdu pdu = data_out({.itt = 0x10, .ttt = ttt, .data_sn = data_sn++,
                                   .buffer_offset = offset, .lun = 1,
                                   .final = offset + size == end},
                                  1, Bytes(data.begin() + offset, data.begin() + offset + size));
    for (Output& output : h.send(pdu)) outputs.push_back(std::move(output));
  }
  return outputs;
}

void write_one_mebibyte(std::uint32_t max_outstanding_r2t) {
  Harness h({.immediate_data = true, .initial_r2t = false, .first_burst_length = 65536,
             .max_burst_length = 262144, .max_outstanding_r2t = max_outstanding_r2t});
  const Bytes data = pattern_bytes(kMiB, 5);
  std::vector<Output> outputs =
      h.send(scsi_write10({.itt = 0x10, .cmd_sn = 1, .exp_stat_sn = 1},
                          {.lun = 1, .lba = 0, .blocks = 2048, .block_size = 512},
                          Bytes(data.begin(), data.begin() + 8192), true));
  std::vector<pdu::Pdu> r2ts = of_opcode(outputs, pdu::Opcode::r2t);
  ASSERT_EQ(r2ts.size(), max_outstanding_r2t >= 4 ? 4u : 1u);
  // Unsolicited Data-Out up to FirstBurstLength brings no new R2T.
  EXPECT_TRUE(pdus_of(send_sequence(h, data, pdu::kReservedTag, 8192, 65536)).empty());
  for (std::size_t i = 0; i < r2ts.size(); ++i) {
    const auto& r2t = header<pdu::R2t>(r2ts[i]);
    const std::uint32_t end = r2t.buffer_offset + r2t.desired_data_transfer_length;
    for (const pdu::Pdu& more :
         of_opcode(send_sequence(h, data, r2t.ttt, r2t.buffer_offset, end), pdu::Opcode::r2t)) {
      r2ts.push_back(more);
    }
  }
  ASSERT_EQ(r2ts.size(), 4u);
  const std::uint32_t offsets[] = {65536, 327680, 589824, 851968};
  const std::uint32_t lengths[] = {262144, 262144, 262144, 196608};
  for (std::uint32_t i = 0; i < 4; ++i) {
    const auto& r2t = header<pdu::R2t>(r2ts[i]);
    EXPECT_EQ(r2t.r2t_sn, i);
    EXPECT_EQ(r2t.buffer_offset, offsets[i]);
    EXPECT_EQ(r2t.desired_data_transfer_length, lengths[i]);
    EXPECT_NE(r2t.ttt, pdu::kReservedTag);
    EXPECT_EQ(r2t.itt, 0x10u);
    EXPECT_EQ(r2t.lun, pdu::Lun::from_number(1));
    EXPECT_EQ(r2t.stat_sn, 1u);  // R2T carries the next StatSN without consuming it
    EXPECT_EQ(r2t.exp_cmd_sn, 2u);
    for (std::uint32_t j = 0; j < i; ++j) EXPECT_NE(header<pdu::R2t>(r2ts[j]).ttt, r2t.ttt);
  }
  ASSERT_EQ(h.port.pending.size(), 1u);
  EXPECT_EQ(h.port.executed[0].data_out, data);
  EXPECT_EQ(h.port.executed[0].expected_data_out_length, kMiB);
  EXPECT_EQ(h.port.executed[0].expected_data_in_length, 0u);
  outputs = h.complete(result(scsi::kStatusGood, {}, {}, kMiB));
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  ASSERT_EQ(responses.size(), 1u);
  const auto& response = header<pdu::ScsiResponse>(responses[0]);
  EXPECT_EQ(response.status, scsi::kStatusGood);
  EXPECT_EQ(response.stat_sn, 1u);
  EXPECT_EQ(response.exp_data_sn, 4u);  // four R2Ts, no Data-In
  EXPECT_FALSE(response.residual_overflow || response.residual_underflow);
}

TEST(SessionWriteTest, OneMebibyteImmediateAndUnsolicitedWithOneOutstandingR2t) {
  write_one_mebibyte(1);
}
TEST(SessionWriteTest, OneMebibyteImmediateAndUnsolicitedWithFourOutstandingR2ts) {
  write_one_mebibyte(4);
}

// EDTL 1024 with a CDB that wants `wanted` bytes: the residual of RFC 7143 §11.4.5.1.
pdu::ScsiResponse write_with_wanted(std::uint32_t wanted) {
  Harness h({.immediate_data = true});
  (void)h.send(scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 2},
                            pattern_bytes(1024), false));
  const std::vector<Output> outputs =
      h.complete(result(scsi::kStatusGood, {}, {}, wanted));
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  EXPECT_EQ(responses.size(), 1u);
  return responses.empty() ? pdu::ScsiResponse{} : header<pdu::ScsiResponse>(responses[0]);
}

TEST(SessionWriteTest, ResidualUnderflowWhenEdtlExceedsWhatTheCdbWants) {
  const pdu::ScsiResponse response = write_with_wanted(512);
  EXPECT_TRUE(response.residual_underflow);
  EXPECT_FALSE(response.residual_overflow);
  EXPECT_EQ(response.residual_count, 512u);
}

TEST(SessionWriteTest, ResidualOverflowWhenTheCdbWantsMoreThanEdtl) {
  const pdu::ScsiResponse response = write_with_wanted(4096);
  EXPECT_TRUE(response.residual_overflow);
  EXPECT_EQ(response.residual_count, 3072u);
}

TEST(SessionWriteTest, DataOutForUnknownTaskIsRejectedWithItsHeader) {
  Harness h;
  const pdu::Pdu stray = data_out({.itt = 0x77, .ttt = 5, .lun = 1}, 1, Bytes(512, 0));
  const std::vector<Output> outputs = h.send(stray);
  EXPECT_TRUE(has_violation(outputs, "session.data-out-unknown-task"));
  const std::vector<pdu::Pdu> rejects = of_opcode(outputs, pdu::Opcode::reject);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(header<pdu::Reject>(rejects[0]).reason, pdu::RejectReason::invalid_pdu_field);
  EXPECT_EQ(header<pdu::Reject>(rejects[0]).stat_sn, 1u);  // a Reject consumes a StatSN
  ASSERT_EQ(rejects[0].data.size(), 48u);
  EXPECT_EQ(rejects[0].data[0] & 0x3f, 0x05);
  EXPECT_EQ(load_be24(rejects[0].data.data() + 5), 512u);
  EXPECT_EQ(load_be32(rejects[0].data.data() + 16), 0x77u);
}

TEST(SessionWriteTest, DataSnErrorIsRejectedAndTheTaskEndsWithCheckCondition) {
  Harness h({.immediate_data = false, .initial_r2t = true});
  std::vector<Output> outputs =
      h.send(scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, {}, false));
  const std::vector<pdu::Pdu> r2ts = of_opcode(outputs, pdu::Opcode::r2t);
  ASSERT_EQ(r2ts.size(), 1u);
  const std::uint32_t ttt = header<pdu::R2t>(r2ts[0]).ttt;
  // libiscsi's iSCSIDataSnInvalid: the only Data-Out carries DataSN 1 (C145).
  outputs = h.send(data_out({.itt = 0x10, .ttt = ttt, .data_sn = 1, .lun = 1}, 1, Bytes(512, 0)));
  EXPECT_TRUE(has_violation(outputs, "session.data-out-data-sn"));
  ASSERT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(header<pdu::ScsiResponse>(responses[0]).status, scsi::kStatusCheckCondition);
  ASSERT_EQ(responses[0].data.size(), 20u);
  EXPECT_EQ(responses[0].data[2 + 2], 0x0b);   // ABORTED COMMAND
  EXPECT_EQ(responses[0].data[2 + 12], 0x4b);  // DATA PHASE ERROR
  EXPECT_TRUE(h.port.executed.empty());        // never completes GOOD with wrong data
}

TEST(SessionWriteTest, DataDigestErrorOnDataOutGivesRejectThenCheckCondition) {
  Harness h({.immediate_data = false, .initial_r2t = true});
  const std::vector<Output> first =
      h.send(scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, {}, false));
  const std::uint32_t ttt = header<pdu::R2t>(of_opcode(first, pdu::Opcode::r2t).at(0)).ttt;
  // A real framer with DataDigest=CRC32C sees one corrupted payload byte.
  const pdu::DigestOptions digests{false, true};
  Bytes wire = iscsi::test::wire(
      data_out({.itt = 0x10, .ttt = ttt, .lun = 1}, 1, pattern_bytes(512)), digests);
  wire[48 + 100] ^= 0x01;
  pdu::Framer framer({.digests = digests, .max_data_segment_length = 8192});
  framer.feed(wire);
  pdu::FrameEvent event = framer.next();
  ASSERT_TRUE(std::holds_alternative<pdu::FrameError>(event));
  h.engine->on_frame_error(t(1), std::get<pdu::FrameError>(event));
  const std::vector<Output> outputs = h.drain();
  EXPECT_TRUE(has_violation(outputs, "pdu.data-digest-mismatch"));
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 2u);
  EXPECT_EQ(header<pdu::Reject>(pdus[0]).reason, pdu::RejectReason::data_digest_error);
  const auto& response = header<pdu::ScsiResponse>(pdus[1]);
  EXPECT_EQ(response.status, scsi::kStatusCheckCondition);
  EXPECT_EQ(pdus[1].data[2 + 12], 0x47);  // PROTOCOL SERVICE CRC ERROR
  EXPECT_EQ(pdus[1].data[2 + 13], 0x05);
  EXPECT_TRUE(h.port.executed.empty());
  EXPECT_FALSE(h.engine->closed());
}

TEST(SessionWriteTest, DataDigestErrorOnCommandDiscardsItAndLeavesTheCmdSnGap) {
  Harness h({.immediate_data = true});
  const pdu::DigestOptions digests{false, true};
  Bytes wire = iscsi::test::wire(
      scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, pattern_bytes(512)),
      digests);
  wire[48 + 3] ^= 0x80;
  pdu::Framer framer({.digests = digests, .max_data_segment_length = 8192});
  framer.feed(wire);
  pdu::FrameEvent event = framer.next();
  ASSERT_TRUE(std::holds_alternative<pdu::FrameError>(event));
  h.engine->on_frame_error(t(1), std::get<pdu::FrameError>(event));
  std::vector<Output> outputs = h.drain();
  ASSERT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
  EXPECT_TRUE(h.port.executed.empty());
  // CmdSN 1 was not received: CmdSN 2 waits behind the gap until 1 is sent again.
  outputs = h.send(iscsi::test::scsi_read10({.itt = 0x11, .cmd_sn = 2}, {.lun = 1}));
  EXPECT_TRUE(h.port.executed.empty());
  outputs = h.send(
      scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, pattern_bytes(512)));
  ASSERT_EQ(h.port.executed.size(), 2u);
  EXPECT_EQ(h.port.executed[0].tag, 0x10u);
  EXPECT_EQ(h.port.executed[1].tag, 0x11u);
}

TEST(SessionWriteTest, UnsolicitedDataUnderInitialR2tYesEndsWithCheckCondition) {
  Harness h({.immediate_data = true, .initial_r2t = true});
  std::vector<Output> outputs = h.send(
      scsi_write10({.itt = 0x10, .cmd_sn = 1}, {.lun = 1, .blocks = 2}, Bytes(512, 1), true));
  EXPECT_TRUE(has_violation(outputs, "session.unexpected-unsolicited-data"));
  EXPECT_TRUE(of_opcode(outputs, pdu::Opcode::r2t).empty());
  outputs = h.send(data_out({.itt = 0x10, .buffer_offset = 512, .lun = 1}, 1, Bytes(512, 1)));
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].data[2 + 12], 0x0c);
  EXPECT_EQ(responses[0].data[2 + 13], 0x0c);
}

TEST(SessionWriteTest, OverLongWriteIsRefusedWithoutSolicitingData) {
  Harness h;
  const std::vector<Output> outputs = h.send(iscsi::test::scsi_command(
      {.itt = 0x10, .cmd_sn = 1}, 1, Bytes{0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},
      kMaxWriteTransferLength + 512, false, true));
  EXPECT_TRUE(of_opcode(outputs, pdu::Opcode::r2t).empty());
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].data[2 + 2], 0x05);  // ILLEGAL REQUEST
  EXPECT_EQ(responses[0].data[2 + 12], 0x24);
}

}  // namespace
}  // namespace iscsi::target::session::test
