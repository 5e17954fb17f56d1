// The initiator's session engine against the reference target's session engine and a real
// SCSI Port: whole I/O paths, with neither side reporting a violation of the other.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "core/text/send_targets.hpp"
#include "tests/initiator-impl/session/target_peer.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::session::test {
namespace {

std::size_t count_opcode(const std::vector<pdu::Pdu>& pdus, pdu::Opcode opcode) {
  return static_cast<std::size_t>(
      std::count_if(pdus.begin(), pdus.end(),
                    [opcode](const pdu::Pdu& pdu) { return pdu::opcode(pdu) == opcode; }));
}

void expect_clean(const TargetPeer& peer) {
  EXPECT_TRUE(peer.initiator_violations().empty())
      << "initiator saw: " << ::testing::PrintToString(peer.initiator_violations());
  EXPECT_TRUE(peer.target_violations().empty())
      << "target saw: " << ::testing::PrintToString(peer.target_violations());
}

void expect_good(const CommandCompleted& done) {
  EXPECT_FALSE(done.failure.has_value()) << (done.failure ? done.failure->detail : "");
  EXPECT_EQ(done.response, pdu::ScsiResponseCode::command_completed_at_target);
  EXPECT_EQ(done.status, 0);
}

void write_and_verify(TargetPeer& peer, std::uint32_t lba, std::size_t bytes, std::uint8_t seed) {
  const Bytes data = iscsi::test::pattern_bytes(bytes, seed);
  expect_good(peer.run(write_request(lba, data)));
  const CommandCompleted read =
      peer.run(read_request(lba, static_cast<std::uint16_t>(bytes / 512)));
  expect_good(read);
  EXPECT_EQ(read.data_in, data);
  EXPECT_FALSE(read.residual_underflow);
  EXPECT_FALSE(read.residual_overflow);
}

class InitiatorWriteModes : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

TEST_P(InitiatorWriteModes, WriteThenReadVerify) {
  PeerOptions options;
  options.immediate_data = std::get<0>(GetParam());
  options.initial_r2t = std::get<1>(GetParam());
  options.first_burst_length = 16384;
  TargetPeer peer(options);
  peer.clear_unit_attention();
  write_and_verify(peer, 8, 65536, 3);
  write_and_verify(peer, 300, 1024, 9);  // shorter than FirstBurstLength
  const bool unsolicited_data_out = !options.initial_r2t;
  const auto data_out =
      std::count_if(peer.to_target.begin(), peer.to_target.end(), [](const pdu::Pdu& pdu) {
        const auto* header = std::get_if<pdu::ScsiDataOut>(&pdu.header);
        return header != nullptr && header->ttt == pdu::kReservedTag;
      });
  EXPECT_EQ(data_out > 0, unsolicited_data_out);
  expect_clean(peer);
}

INSTANTIATE_TEST_SUITE_P(ImmediateDataInitialR2t, InitiatorWriteModes,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()));

// The caller's tag comes back with the completion, whether the target answered the command or
// the engine refused it (client::Session finds its command by it).
TEST(InitiatorSessionPeer, ACompletionCarriesItsRequestsTag) {
  TargetPeer peer(PeerOptions{});
  peer.clear_unit_attention();
  ScsiRequest read = read_request(0, 1);
  read.tag = 0x1234'5678'9abc;
  const CommandCompleted answered = peer.run(read);
  expect_good(answered);
  EXPECT_EQ(answered.tag, 0x1234'5678'9abcu);

  ScsiRequest empty_cdb = read_request(0, 1);
  empty_cdb.cdb = CdbBytes{};
  empty_cdb.tag = 42;
  const TaskId refused = peer.initiator->submit(empty_cdb);
  peer.pump();
  ASSERT_NE(peer.completion(refused), nullptr);
  EXPECT_EQ(peer.completion(refused)->failure->reason, FailureReason::invalid_request);
  EXPECT_EQ(peer.completion(refused)->tag, 42u);
}

TEST(InitiatorSessionPeer, SmallBurstsForceManyR2tsAndDataIns) {
  PeerOptions options;
  options.initial_r2t = false;
  options.first_burst_length = 2048;
  options.max_burst_length = 4096;
  options.initiator_mrdsl = 512;
  options.target_mrdsl = 512;
  options.max_outstanding_r2t = 2;
  TargetPeer peer(options);
  peer.clear_unit_attention();
  write_and_verify(peer, 64, 40960, 5);
  // 40 KiB less the 2 KiB first burst, in R2Ts of at most 4 KiB.
  EXPECT_GE(count_opcode(peer.to_initiator, pdu::Opcode::r2t), 10u);
  EXPECT_GE(count_opcode(peer.to_initiator, pdu::Opcode::scsi_data_in), 80u);
  for (const pdu::Pdu& pdu : peer.to_target) EXPECT_LE(pdu.data.size(), 512u);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, SixtyFourCommandsThroughASmallWindowAcrossTheCmdSnWrap) {
  PeerOptions options;
  options.command_window = 4;
  options.first_cmd_sn = 0xfffffff0u;
  TargetPeer peer(options);
  peer.clear_unit_attention();
  std::vector<TaskId> tasks;
  for (std::uint32_t i = 0; i < 64; ++i) {
    tasks.push_back(peer.initiator->submit(
        write_request(i * 2, iscsi::test::pattern_bytes(1024, static_cast<std::uint8_t>(i)))));
  }
  EXPECT_EQ(peer.initiator->queued_requests(), 60u);
  EXPECT_EQ(peer.initiator->outstanding_tasks(), 4u);
  peer.pump();
  for (TaskId task : tasks) {
    const CommandCompleted* done = peer.completion(task);
    ASSERT_NE(done, nullptr);
    expect_good(*done);
  }
  for (std::uint32_t i = 0; i < 64; i += 7) {
    const CommandCompleted read = peer.run(read_request(i * 2, 2));
    EXPECT_EQ(read.data_in, iscsi::test::pattern_bytes(1024, static_cast<std::uint8_t>(i)));
  }
  EXPECT_EQ(peer.initiator->queued_requests(), 0u);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, InquiryReadCapacityReportLuns) {
  TargetPeer peer;
  peer.clear_unit_attention();
  ScsiRequest request;
  request.lun = lun_number(1);
  request.cdb = inquiry(96);
  request.expected_data_in_length = 96;
  const CommandCompleted inq = peer.run(request);
  expect_good(inq);
  ASSERT_GE(inq.data_in.size(), 36u);
  EXPECT_EQ(inq.data_in[0] & 0x1f, 0x00);  // direct access block device
  EXPECT_EQ(std::string(inq.data_in.begin() + 8, inq.data_in.begin() + 11), "IET");

  request.cdb = read_capacity16(32);
  request.expected_data_in_length = 32;
  const CommandCompleted capacity = peer.run(request);
  expect_good(capacity);
  ASSERT_EQ(capacity.data_in.size(), 32u);
  EXPECT_EQ(load_be64(capacity.data_in.data()), peer.options.lun_blocks - 1);
  EXPECT_EQ(load_be32(capacity.data_in.data() + 8), 512u);

  request.lun = lun_number(0);
  request.cdb = report_luns(256);
  request.expected_data_in_length = 256;
  const CommandCompleted luns = peer.run(request);
  expect_good(luns);
  ASSERT_GE(luns.data_in.size(), 8u);
  EXPECT_EQ(load_be32(luns.data_in.data()), 16u);  // LUN 0 and LUN 1
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, ResidualUnderflowAndOverflow) {
  TargetPeer peer;
  peer.clear_unit_attention();
  ScsiRequest request;
  request.lun = lun_number(1);
  request.cdb = inquiry(255);
  request.expected_data_in_length = 255;
  const CommandCompleted under = peer.run(request);
  expect_good(under);
  EXPECT_TRUE(under.residual_underflow);
  EXPECT_EQ(under.residual_count, 255u - under.data_in.size());

  ScsiRequest read = read_request(0, 4);
  read.expected_data_in_length = 1024;  // the CDB asks for 2048
  const CommandCompleted over = peer.run(read);
  expect_good(over);
  EXPECT_TRUE(over.residual_overflow);
  EXPECT_EQ(over.residual_count, 1024u);
  EXPECT_EQ(over.data_in.size(), 1024u);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, InitiatorPingsAndTheTargetAnswers) {
  PeerOptions options;
  options.initiator_nop.interval = std::chrono::seconds(1);
  options.initiator_nop.timeout = std::chrono::milliseconds(500);
  TargetPeer peer(options);
  EXPECT_EQ(peer.initiator->next_deadline(), at_ms(1000));
  peer.advance_to(1000);
  EXPECT_EQ(count_opcode(peer.to_target, pdu::Opcode::nop_out), 1u);
  EXPECT_EQ(count_opcode(peer.to_initiator, pdu::Opcode::nop_in), 1u);
  peer.advance_to(1600);  // past the timeout of an unanswered ping
  EXPECT_FALSE(peer.initiator->closed());
  EXPECT_EQ(peer.initiator->next_deadline(), at_ms(2000));
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, TargetPingsAndTheInitiatorAnswers) {
  PeerOptions options;
  options.target_nop.interval = std::chrono::seconds(1);
  options.target_nop.timeout = std::chrono::seconds(2);
  TargetPeer peer(options);
  peer.advance_to(1000);
  peer.advance_to(2500);
  peer.advance_to(3500);
  EXPECT_GE(count_opcode(peer.to_initiator, pdu::Opcode::nop_in), 2u);
  EXPECT_GE(count_opcode(peer.to_target, pdu::Opcode::nop_out), 2u);
  EXPECT_FALSE(peer.target_closed);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, AbortTaskAndLogicalUnitReset) {
  TargetPeer peer;
  peer.clear_unit_attention();
  peer.hold_port = true;  // commands stay in the Port until released
  const TaskId held = peer.initiator->submit(read_request(0, 8));
  peer.pump();
  ASSERT_EQ(peer.completion(held), nullptr);
  const TaskId abort = peer.initiator->abort_task(held);
  peer.pump();
  auto tmfs = peer.outputs_of<TaskManagementCompleted>();
  ASSERT_EQ(tmfs.size(), 1u);
  EXPECT_EQ(tmfs[0].task, abort);
  EXPECT_EQ(tmfs[0].response, pdu::TmfResponse::function_complete);
  EXPECT_EQ(tmfs[0].aborted, std::vector<TaskId>{held});
  ASSERT_NE(peer.completion(held), nullptr);
  ASSERT_TRUE(peer.completion(held)->failure.has_value());
  EXPECT_EQ(peer.completion(held)->failure->reason, FailureReason::aborted);

  const TaskId a = peer.initiator->submit(read_request(0, 1));
  const TaskId b = peer.initiator->submit(read_request(8, 1));
  peer.pump();
  const TaskId reset = peer.initiator->logical_unit_reset(lun_number(1));
  peer.pump();
  tmfs = peer.outputs_of<TaskManagementCompleted>();
  ASSERT_EQ(tmfs.size(), 2u);
  EXPECT_EQ(tmfs[1].task, reset);
  EXPECT_EQ(tmfs[1].response, pdu::TmfResponse::function_complete);
  EXPECT_EQ(tmfs[1].aborted, (std::vector<TaskId>{a, b}));
  peer.hold_port = false;
  peer.pump();  // late completions of the aborted commands are dropped by the target
  peer.clear_unit_attention();
  write_and_verify(peer, 16, 4096, 1);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, TargetWarmResetAbortsEverything) {
  TargetPeer peer;
  peer.clear_unit_attention();
  peer.hold_port = true;
  const TaskId a = peer.initiator->submit(read_request(0, 1));
  const TaskId b = peer.initiator->submit(write_request(8, iscsi::test::pattern_bytes(512)));
  peer.pump();
  peer.initiator->target_warm_reset();
  peer.pump();
  const auto tmfs = peer.outputs_of<TaskManagementCompleted>();
  ASSERT_EQ(tmfs.size(), 1u);
  EXPECT_EQ(tmfs[0].response, pdu::TmfResponse::function_complete);
  EXPECT_EQ(tmfs[0].aborted, (std::vector<TaskId>{a, b}));
  peer.hold_port = false;
  peer.pump();
  EXPECT_FALSE(peer.initiator->closed());
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, SendTargetsInADiscoverySessionWithContinuations) {
  PeerOptions options;
  options.discovery = true;
  options.initiator_mrdsl = 512;
  options.target_mrdsl = 512;
  options.extra_targets = 40;  // an answer of several KiB, cut into C=1 Text Responses
  TargetPeer peer(options);
  text::KeyValueList request{{"SendTargets", "All"}};
  const TaskId id = peer.initiator->send_text(request);
  peer.pump();
  const auto texts = peer.outputs_of<TextCompleted>();
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0].task, id);
  ASSERT_FALSE(texts[0].failure.has_value()) << texts[0].failure->detail;
  auto records = text::parse_send_targets_response(texts[0].pairs);
  ASSERT_TRUE(records);
  EXPECT_EQ(records->size(), 41u);
  EXPECT_GE(count_opcode(peer.to_initiator, pdu::Opcode::text_response), 5u);
  // SCSI commands have no place in a Discovery session.
  const TaskId refused = peer.initiator->submit(read_request(0, 1));
  peer.pump();
  ASSERT_NE(peer.completion(refused), nullptr);
  EXPECT_EQ(peer.completion(refused)->failure->reason, FailureReason::invalid_request);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, LongTextRequestGoesOutInContinuedSegments) {
  PeerOptions options;
  options.discovery = true;
  options.target_mrdsl = 512;
  TargetPeer peer(options);
  text::KeyValueList request;
  for (int i = 0; i < 6; ++i) {
    request.push_back({"X-org.example.pad" + std::to_string(i), std::string(200, 'a')});
  }
  request.push_back({"SendTargets", "All"});
  peer.initiator->send_text(request);
  peer.pump();
  const auto texts = peer.outputs_of<TextCompleted>();
  ASSERT_EQ(texts.size(), 1u);
  ASSERT_FALSE(texts[0].failure.has_value()) << texts[0].failure->detail;
  EXPECT_EQ(text::find_value(texts[0].pairs, "TargetName"), "iqn.2026-11.org.example:disk");
  EXPECT_GE(count_opcode(peer.to_target, pdu::Opcode::text_request), 3u);
  expect_clean(peer);
}

TEST(InitiatorSessionPeer, Logout) {
  TargetPeer peer;
  peer.clear_unit_attention();
  write_and_verify(peer, 0, 2048, 2);
  peer.initiator->logout();
  peer.pump();
  const auto logouts = peer.outputs_of<LogoutCompleted>();
  ASSERT_EQ(logouts.size(), 1u);
  EXPECT_FALSE(logouts[0].failure.has_value());
  EXPECT_EQ(logouts[0].response, pdu::LogoutResponseCode::closed_successfully);
  const auto closes = peer.outputs_of<CloseConnection>();
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_TRUE(closes[0].graceful);
  EXPECT_TRUE(peer.initiator->closed());
  EXPECT_TRUE(peer.target_closed);
  const TaskId late = peer.initiator->submit(read_request(0, 1));
  peer.pump();
  ASSERT_NE(peer.completion(late), nullptr);
  EXPECT_EQ(peer.completion(late)->failure->reason, FailureReason::session_closing);
  expect_clean(peer);
}

}  // namespace
}  // namespace iscsi::initiator::session::test
