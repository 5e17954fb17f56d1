// Reads through the engine: Data-In sequences, phase collapse, residuals, sense (C132-C138,
// C149, C150).
#include <gtest/gtest.h>

#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::pattern_bytes;
using iscsi::test::scsi_command;
using iscsi::test::scsi_read10;


TEST(SessionReadTest, OneMebibyteReadWithMaxRecvDataSegmentLength8192) {
  Harness h({.initiator_mrdsl = 8192, .max_burst_length = 262144});
  (void)h.send(scsi_read10({.itt = 0x21, .cmd_sn = 1}, {.lun = 1, .blocks = 2048}));
  ASSERT_EQ(h.port.pending.size(), 1u);
  EXPECT_EQ(h.port.executed[0].expected_data_in_length, kMiB);
  EXPECT_EQ(h.port.executed[0].cdb[0], 0x28);
  const Bytes data = pattern_bytes(kMiB, 9);
  const std::vector<Output> outputs = h.complete(result(scsi::kStatusGood, data));
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 128u);  // status collapsed into the last Data-In: no SCSI Response
  Bytes joined;
  for (std::uint32_t i = 0; i < 128; ++i) {
    const auto& d = header<pdu::ScsiDataIn>(pdus[i]);
    EXPECT_EQ(d.itt, 0x21u);
    EXPECT_EQ(d.data_sn, i);
    EXPECT_EQ(d.buffer_offset, i * 8192);
    EXPECT_EQ(pdus[i].data.size(), 8192u);
    EXPECT_EQ(d.final, i % 32 == 31) << i;  // sequences of MaxBurstLength (C149)
    EXPECT_EQ(d.status_present, i == 127) << i;
    EXPECT_EQ(d.exp_cmd_sn, 2u);
    EXPECT_FALSE(d.acknowledge);
    joined.insert(joined.end(), pdus[i].data.begin(), pdus[i].data.end());
  }
  const auto& last = header<pdu::ScsiDataIn>(pdus[127]);
  EXPECT_EQ(last.status, scsi::kStatusGood);
  EXPECT_EQ(last.stat_sn, 1u);
  EXPECT_FALSE(last.residual_overflow || last.residual_underflow);
  EXPECT_EQ(joined, data);
}

TEST(SessionReadTest, LargeReadIsHandedOutInBoundedBatches) {
  Harness h({.initiator_mrdsl = 65536});
  (void)h.send(scsi_read10({.itt = 0x21, .cmd_sn = 1}, {.lun = 1, .blocks = 4096}));
  h.port.complete_next(result(scsi::kStatusGood, pattern_bytes(2 * kMiB)));
  EXPECT_EQ(h.notified, 1);
  std::size_t bytes = 0;
  for (const pdu::Pdu& pdu : pdus_of(h.engine->take_outputs())) bytes += pdu.data.size();
  EXPECT_EQ(bytes, kMaxDataInBytesPerTake);
  EXPECT_TRUE(h.engine->has_outputs());
  bytes = 0;
  for (const pdu::Pdu& pdu : pdus_of(h.engine->take_outputs())) bytes += pdu.data.size();
  EXPECT_EQ(bytes, kMiB);
  EXPECT_FALSE(h.engine->has_outputs());
}

TEST(SessionReadTest, ReadShorterThanEdtlReportsUnderflow) {
  Harness h;
  const Bytes inquiry{0x12, 0, 0, 0, 255, 0};
  (void)h.send(scsi_command({.itt = 0x22, .cmd_sn = 1}, 0, inquiry, 255, true, false));
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.complete(result(scsi::kStatusGood, pattern_bytes(36))));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& d = header<pdu::ScsiDataIn>(pdus[0]);
  EXPECT_TRUE(d.status_present && d.final);
  EXPECT_TRUE(d.residual_underflow);
  EXPECT_EQ(d.residual_count, 219u);  // C137
  EXPECT_EQ(pdus[0].data.size(), 36u);
}

TEST(SessionReadTest, ReadLongerThanEdtlSendsEdtlAndReportsOverflow) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 0x23, .cmd_sn = 1}, {.lun = 1, .blocks = 1}));
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.complete(result(scsi::kStatusGood, pattern_bytes(4096))));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& d = header<pdu::ScsiDataIn>(pdus[0]);
  EXPECT_EQ(pdus[0].data.size(), 512u);
  EXPECT_TRUE(d.residual_overflow);
  EXPECT_EQ(d.residual_count, 3584u);  // C138
}

TEST(SessionReadTest, CheckConditionGoesInAScsiResponseWithSense) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 0x24, .cmd_sn = 1}, {.lun = 1, .blocks = 1}));
  const Bytes sense{0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0};
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.complete(result(scsi::kStatusCheckCondition, {}, sense)));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& r = header<pdu::ScsiResponse>(pdus[0]);
  EXPECT_EQ(r.status, scsi::kStatusCheckCondition);
  EXPECT_TRUE(r.residual_underflow);
  EXPECT_EQ(r.residual_count, 512u);
  ASSERT_EQ(pdus[0].data.size(), 2 + sense.size());
  EXPECT_EQ(load_be16(pdus[0].data.data()), sense.size());
  EXPECT_EQ(Bytes(pdus[0].data.begin() + 2, pdus[0].data.end()), sense);
}

TEST(SessionReadTest, DataWithSenseIsFollowedByAResponseCountingTheDataIn) {
  Harness h({.initiator_mrdsl = 512});
  (void)h.send(scsi_read10({.itt = 0x25, .cmd_sn = 1}, {.lun = 1, .blocks = 4}));
  const Bytes sense{0x70, 0, 0x01, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x5d, 0, 0, 0, 0, 0};
  const std::vector<pdu::Pdu> pdus = pdus_of(h.complete(
      result(scsi::kStatusCheckCondition, pattern_bytes(2048), sense)));
  ASSERT_EQ(pdus.size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_FALSE(header<pdu::ScsiDataIn>(pdus[i]).status_present);  // C135
    EXPECT_EQ(header<pdu::ScsiDataIn>(pdus[i]).stat_sn, 0u);
  }
  const auto& r = header<pdu::ScsiResponse>(pdus[4]);
  EXPECT_EQ(r.exp_data_sn, 4u);  // C150
  EXPECT_EQ(r.stat_sn, 1u);
}

TEST(SessionReadTest, TestUnitReadyGetsOnlyAScsiResponse) {
  Harness h;
  const std::vector<Output> first =
      h.send(scsi_command({.itt = 0x26, .cmd_sn = 1}, 1, Bytes(6, 0), 0, false, false));
  EXPECT_TRUE(pdus_of(first).empty());
  const std::vector<pdu::Pdu> pdus = pdus_of(h.complete(result(scsi::kStatusGood)));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& r = header<pdu::ScsiResponse>(pdus[0]);
  EXPECT_EQ(r.status, scsi::kStatusGood);
  EXPECT_EQ(r.residual_count, 0u);
  EXPECT_FALSE(r.residual_overflow || r.residual_underflow);
  EXPECT_EQ(r.exp_data_sn, 0u);
  EXPECT_TRUE(pdus[0].data.empty());
}

TEST(SessionReadTest, BidirectionalCommandUsesReadResidualFields) {
  Harness h;
  pdu::Pdu command = scsi_command({.itt = 0x27, .cmd_sn = 1}, 1, Bytes(16, 0), 512, true, true);
  command.ahs.push_back(pdu::BidiReadLengthAhs{1024});
  command.data = pattern_bytes(512);
  (void)h.send(command);
  ASSERT_EQ(h.port.executed.size(), 1u);
  EXPECT_EQ(h.port.executed[0].expected_data_in_length, 1024u);
  EXPECT_EQ(h.port.executed[0].data_out.size(), 512u);
  const std::vector<pdu::Pdu> pdus = pdus_of(
      h.complete(result(scsi::kStatusGood, pattern_bytes(512), {}, 512)));
  ASSERT_EQ(pdus.size(), 2u);
  const auto& r = header<pdu::ScsiResponse>(pdus[1]);
  EXPECT_TRUE(r.bidi_read_residual_underflow);
  EXPECT_EQ(r.bidi_read_residual_count, 512u);
  EXPECT_FALSE(r.residual_underflow);
}

TEST(SessionReadTest, NexusIsAnnouncedToThePortWithSamPortNames) {
  Harness h;
  ASSERT_EQ(h.port.added.size(), 1u);
  EXPECT_EQ(h.port.added[0].id, 42u);
  EXPECT_EQ(h.port.added[0].initiator_port_name,
            "iqn.2026-11.org.example:initiator,i,0x803d2f010001");
  EXPECT_EQ(h.port.added[0].target_port_name, "iqn.2026-11.org.example:disk,t,0x0001");
  ASSERT_EQ(h.initial.size(), 1u);
  const auto* state = std::get_if<ReportState>(&h.initial[0]);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->to, "full_feature");
  EXPECT_TRUE(h.port.removed.empty());
}

}  // namespace
}  // namespace iscsi::target::session::test
