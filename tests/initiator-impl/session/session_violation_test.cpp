// The initiator's session engine fed hand-built target PDUs: the exact PDUs it sends, and one
// test per rule the target can break, each checked by its stable violation id.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/common/serial.hpp"
#include "core/pdu/codec.hpp"
#include "initiator-impl/session/session_engine.hpp"
#include "tests/initiator-impl/session/target_peer.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::session::test {
namespace {

using iscsi::test::DataParams;
using iscsi::test::TargetSn;

class InitiatorSession : public ::testing::Test {
 protected:
  void build(negotiation::SessionParameters session = {}, std::uint32_t target_mrdsl = 8192,
             NopSettings nop = {}) {
    SessionSetup setup;
    setup.session = session;
    setup.connection.target_max_recv_data_segment_length = target_mrdsl;
    setup.cmd_sn = 1;
    setup.exp_stat_sn = 1;
    setup.exp_cmd_sn = 1;
    setup.max_cmd_sn = 32;
    setup.nop = nop;
    engine = std::make_unique<SessionEngine>(std::move(setup), at_ms(0));
  }
  void SetUp() override { build(); }

  std::vector<Output> take() {
    std::vector<Output> all = engine->take_outputs();
    outputs.insert(outputs.end(), all.begin(), all.end());
    return all;
  }
  std::vector<Output> feed(const pdu::Pdu& pdu, std::int64_t ms = 0) {
    engine->on_pdu(at_ms(ms), pdu);
    return take();
  }
  // Status PDUs must carry the next StatSN; this hands them out in order.
  TargetSn sn(std::uint32_t itt) { return TargetSn{itt, stat_sn++, 1, 32}; }
  TargetSn next_sn(std::uint32_t itt) const { return TargetSn{itt, stat_sn, 1, 32}; }

  static std::vector<pdu::Pdu> pdus(const std::vector<Output>& list) {
    std::vector<pdu::Pdu> found;
    for (const Output& output : list) {
      if (const auto* send = std::get_if<SendPdu>(&output)) found.push_back(send->pdu);
    }
    return found;
  }
  static std::vector<std::string> ids(const std::vector<Output>& list) {
    std::vector<std::string> found;
    for (const Output& output : list) {
      if (const auto* report = std::get_if<ReportViolation>(&output)) {
        found.emplace_back(report->violation.id());
      }
    }
    return found;
  }
  static bool has(const std::vector<Output>& list, std::string_view id) {
    const auto found = ids(list);
    return std::find(found.begin(), found.end(), id) != found.end();
  }
  template <class T>
  static std::vector<T> all_of(const std::vector<Output>& list) {
    std::vector<T> found;
    for (const Output& output : list) {
      if (const auto* value = std::get_if<T>(&output)) found.push_back(*value);
    }
    return found;
  }
  // A read of `length` bytes on LUN 1; returns its ITT.
  std::uint32_t start_read(std::uint32_t length) {
    ScsiRequest request = read_request(0, static_cast<std::uint16_t>((length + 511) / 512));
    request.expected_data_in_length = length;
    engine->submit(request);
    const auto sent = pdus(take());
    EXPECT_EQ(sent.size(), 1u);
    return pdu::itt(sent.at(0));
  }
  std::uint32_t start_write(std::uint32_t length) {
    engine->submit(write_request(0, iscsi::test::pattern_bytes(length)));
    const auto sent = pdus(take());
    EXPECT_GE(sent.size(), 1u);
    return pdu::itt(sent.at(0));
  }

  std::unique_ptr<SessionEngine> engine;
  std::vector<Output> outputs;
  std::uint32_t stat_sn = 1;
};

// ---- what the initiator sends -----------------------------------------------------------------

TEST_F(InitiatorSession, ImmediateUnsolicitedAndSolicitedDataOut) {
  negotiation::SessionParameters session;
  session.initial_r2t = false;
  session.first_burst_length = 2048;
  build(session, 512);
  const Bytes data = iscsi::test::pattern_bytes(4096);
  engine->submit(write_request(0, data));
  auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 4u);  // command with 512 immediate bytes, 3 unsolicited Data-Out
  const auto& command = std::get<pdu::ScsiCommand>(sent[0].header);
  EXPECT_FALSE(command.final);
  EXPECT_TRUE(command.write);
  EXPECT_EQ(command.expected_data_transfer_length, 4096u);
  EXPECT_EQ(command.cmd_sn, 1u);
  EXPECT_EQ(sent[0].data, Bytes(data.begin(), data.begin() + 512));
  for (std::uint32_t i = 0; i < 3; ++i) {
    const auto& out = std::get<pdu::ScsiDataOut>(sent[i + 1].header);
    EXPECT_EQ(out.ttt, pdu::kReservedTag);
    EXPECT_EQ(out.data_sn, i);
    EXPECT_EQ(out.buffer_offset, 512 * (i + 1));
    EXPECT_EQ(out.final, i == 2);
  }
  pdu::Pdu r2t = iscsi::test::r2t(next_sn(command.itt), 0x77, 0, 2048, 2048);
  std::get<pdu::R2t>(r2t.header).lun = lun_number(1);
  sent = pdus(feed(r2t));
  ASSERT_EQ(sent.size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) {
    const auto& out = std::get<pdu::ScsiDataOut>(sent[i].header);
    EXPECT_EQ(out.ttt, 0x77u);
    EXPECT_EQ(out.lun, lun_number(1));
    EXPECT_EQ(out.data_sn, i);
    EXPECT_EQ(out.buffer_offset, 2048 + 512 * i);
    EXPECT_EQ(out.final, i == 3);
    EXPECT_EQ(sent[i].data, Bytes(data.begin() + 2048 + 512 * i, data.begin() + 2560 + 512 * i));
  }
  EXPECT_TRUE(ids(outputs).empty());
}

TEST_F(InitiatorSession, CommandsWaitForTheWindowAndExpStatSnFollowsStatus) {
  SessionSetup setup;
  setup.cmd_sn = 1;
  setup.exp_stat_sn = 1;
  setup.exp_cmd_sn = 1;
  setup.max_cmd_sn = 2;
  engine = std::make_unique<SessionEngine>(std::move(setup), at_ms(0));
  for (int i = 0; i < 3; ++i) engine->submit(read_request(0, 1));
  auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(engine->queued_requests(), 1u);
  const std::uint32_t first = pdu::itt(sent[0]);
  // The first command completes (StatSN 1) and the window opens by one.
  sent = pdus(feed(iscsi::test::data_in({.itt = first}, {first, 1, 2, 3}, Bytes(512, 1), 0)));
  ASSERT_EQ(sent.size(), 1u);
  const auto& third = std::get<pdu::ScsiCommand>(sent[0].header);
  EXPECT_EQ(third.cmd_sn, 3u);
  EXPECT_EQ(third.exp_stat_sn, 2u);
  EXPECT_EQ(engine->exp_stat_sn(), 2u);
  EXPECT_TRUE(ids(outputs).empty());
}

// take_outputs(into) is take_outputs() into a caller's list (client::Connection keeps one):
// what was in the list before is gone, and each output is handed out once.
TEST_F(InitiatorSession, TakingOutputsIntoAListReplacesItsContents) {
  std::vector<Output> list;
  list.emplace_back(SendPdu{});  // left over from an earlier call
  engine->submit(read_request(0, 1));
  engine->submit(read_request(8, 1));
  engine->take_outputs(list);
  const std::vector<pdu::Pdu> sent = pdus(list);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(std::get<pdu::ScsiCommand>(sent[0].header).cmd_sn, 1u);
  EXPECT_EQ(std::get<pdu::ScsiCommand>(sent[1].header).cmd_sn, 2u);
  engine->take_outputs(list);
  EXPECT_TRUE(list.empty());
}

TEST_F(InitiatorSession, AnswersTargetPingEchoingTttLunAndData) {
  pdu::Pdu ping = iscsi::test::nop_in_ping(next_sn(pdu::kReservedTag), 0x1234);
  std::get<pdu::NopIn>(ping.header).lun = lun_number(3);
  ping.data = Bytes{1, 2, 3, 4, 5};
  const auto sent = pdus(feed(ping));
  ASSERT_EQ(sent.size(), 1u);
  const auto& reply = std::get<pdu::NopOut>(sent[0].header);
  EXPECT_TRUE(reply.immediate);
  EXPECT_EQ(reply.itt, pdu::kReservedTag);
  EXPECT_EQ(reply.ttt, 0x1234u);
  EXPECT_EQ(reply.lun, lun_number(3));
  EXPECT_EQ(reply.cmd_sn, 1u);
  EXPECT_EQ(sent[0].data, (Bytes{1, 2, 3, 4, 5}));
  EXPECT_EQ(engine->cmd_sn(), 1u);
  EXPECT_TRUE(ids(outputs).empty());
}

TEST_F(InitiatorSession, PingTimeoutClosesTheConnection) {
  build({}, 8192, NopSettings{std::chrono::seconds(1), std::chrono::milliseconds(500)});
  EXPECT_EQ(engine->next_deadline(), at_ms(1000));
  engine->on_deadline(at_ms(1000));
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  const auto& ping = std::get<pdu::NopOut>(sent[0].header);
  EXPECT_NE(ping.itt, pdu::kReservedTag);
  EXPECT_EQ(ping.ttt, pdu::kReservedTag);
  EXPECT_EQ(engine->next_deadline(), at_ms(1500));
  engine->on_deadline(at_ms(1500));
  const auto after = take();
  EXPECT_TRUE(has(after, "initiator-session.nop-out-timeout"));
  ASSERT_EQ(all_of<CloseConnection>(after).size(), 1u);
  EXPECT_FALSE(all_of<CloseConnection>(after)[0].graceful);
  EXPECT_TRUE(engine->closed());
}

TEST_F(InitiatorSession, AbortTaskCarriesTheTaskItt) {
  const std::uint32_t itt = start_read(512);
  const TaskId task = 1;  // the first TaskId of an engine
  engine->abort_task(task);
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  const auto& tmf = std::get<pdu::TaskMgmtRequest>(sent[0].header);
  EXPECT_TRUE(tmf.immediate);
  EXPECT_EQ(tmf.function, pdu::TmfFunction::abort_task);
  EXPECT_EQ(tmf.referenced_task_tag, itt);
  EXPECT_EQ(tmf.ref_cmd_sn, 1u);
  EXPECT_EQ(tmf.cmd_sn, 2u);
  EXPECT_EQ(tmf.lun, lun_number(1));
  const auto after =
      feed(iscsi::test::tmf_response(sn(tmf.itt), pdu::TmfResponse::function_complete));
  const auto done = all_of<CommandCompleted>(after);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].failure->reason, FailureReason::aborted);
  ASSERT_EQ(all_of<TaskManagementCompleted>(after).size(), 1u);
}

TEST_F(InitiatorSession, AsyncLogoutRequestIsAnsweredWithALogout) {
  const auto after =
      feed(iscsi::test::async_message(sn(pdu::kReservedTag), pdu::AsyncEvent::logout_request, 5));
  ASSERT_EQ(all_of<AsyncEventReceived>(after).size(), 1u);
  const auto sent = pdus(after);
  ASSERT_EQ(sent.size(), 1u);
  const auto& logout = std::get<pdu::LogoutRequest>(sent[0].header);
  EXPECT_EQ(logout.reason_code, pdu::LogoutReason::close_session);
  const auto done = feed(
      iscsi::test::logout_response(sn(logout.itt), pdu::LogoutResponseCode::closed_successfully));
  ASSERT_EQ(all_of<LogoutCompleted>(done).size(), 1u);
  ASSERT_EQ(all_of<CloseConnection>(done).size(), 1u);
  EXPECT_TRUE(all_of<CloseConnection>(done)[0].graceful);
}

TEST_F(InitiatorSession, RejectOfACommandFailsIt) {
  const std::uint32_t itt = start_read(512);
  pdu::ScsiCommand rejected;
  rejected.itt = itt;
  rejected.read = true;
  const Bytes bhs = pdu::encode(pdu::Pdu{rejected, {}, {}});
  const auto after =
      feed(iscsi::test::reject(sn(pdu::kReservedTag), pdu::RejectReason::invalid_pdu_field,
                               ByteView(bhs).first(pdu::kBhsLength)));
  const auto rejects = all_of<RejectReceived>(after);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].task, TaskId{1});
  const auto done = all_of<CommandCompleted>(after);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].failure->reason, FailureReason::rejected);
}

TEST_F(InitiatorSession, TransportLossFailsEverything) {
  start_read(512);
  engine->submit(read_request(0, 1));
  engine->send_text({{"SendTargets", ""}});
  take();
  engine->on_transport_closed(at_ms(5));
  const auto after = take();
  EXPECT_EQ(all_of<CommandCompleted>(after).size(), 2u);
  ASSERT_EQ(all_of<TextCompleted>(after).size(), 1u);
  for (const auto& done : all_of<CommandCompleted>(after)) {
    EXPECT_EQ(done.failure->reason, FailureReason::connection_lost);
  }
}

// ---- the Data-In still owed (receive coalescing's hint) --------------------------------------

TEST_F(InitiatorSession, DataInOwedFollowsReadsSentAndDataReceived) {
  EXPECT_EQ(engine->data_in_bytes_owed(), 0u);
  const std::uint32_t first = start_read(4096);
  const std::uint32_t second = start_read(2048);
  start_write(1024);  // a write expects no Data-In
  EXPECT_EQ(engine->data_in_bytes_owed(), 6144u);
  feed(iscsi::test::data_in({.itt = first, .final = false}, next_sn(first), Bytes(512, 1)));
  EXPECT_EQ(engine->data_in_bytes_owed(), 5632u);
  // A status ends the read: the rest of it is no longer expected.
  pdu::Pdu short_read = iscsi::test::scsi_response(sn(first), 0);
  auto& header = std::get<pdu::ScsiResponse>(short_read.header);
  header.residual_underflow = true;
  header.residual_count = 3584;
  header.exp_data_sn = 1;
  feed(short_read);
  EXPECT_EQ(engine->data_in_bytes_owed(), 2048u);
  feed(iscsi::test::data_in({.itt = second}, sn(second), Bytes(2048, 2)));
  EXPECT_EQ(engine->data_in_bytes_owed(), 0u);
}

TEST_F(InitiatorSession, DataInBeyondTheExpectedLengthWasNeverOwed) {
  const std::uint32_t itt = start_read(1024);
  feed(iscsi::test::data_in({.itt = itt, .final = false}, next_sn(itt), Bytes(512, 1)));
  feed(iscsi::test::data_in({.itt = itt, .data_sn = 1, .buffer_offset = 512, .final = false},
                            next_sn(itt), Bytes(1024, 2)));
  EXPECT_EQ(engine->data_in_bytes_owed(), 0u);
  feed(iscsi::test::scsi_response(sn(itt), 0));
  EXPECT_EQ(engine->data_in_bytes_owed(), 0u);
  start_read(512);
  EXPECT_EQ(engine->data_in_bytes_owed(), 512u);
}

TEST_F(InitiatorSession, DataInOwedCountsOnlyCommandsSentAndDropsWithTheConnection) {
  // The fixture's window takes CmdSN 1..32: the 33rd read waits, and owes nothing yet.
  for (int i = 0; i < 33; ++i) engine->submit(read_request(0, 1));
  take();
  EXPECT_EQ(engine->data_in_bytes_owed(), 32u * 512u);
  engine->on_transport_closed(at_ms(5));
  take();
  EXPECT_EQ(engine->data_in_bytes_owed(), 0u);
}

// ---- numbering ------------------------------------------------------------------------------

TEST_F(InitiatorSession, WrongStatSn) {
  const std::uint32_t itt = start_read(512);
  const auto after = feed(iscsi::test::data_in({.itt = itt}, {itt, 5, 2, 33}, Bytes(512, 0), 0));
  EXPECT_TRUE(has(after, "initiator-session.stat-sn-mismatch"));
  EXPECT_EQ(engine->exp_stat_sn(), 6u);  // resynchronised past the lost status
}

TEST_F(InitiatorSession, R2tWithAStatSnThatIsNotTheNext) {
  const std::uint32_t itt = start_write(1024);
  EXPECT_TRUE(has(feed(iscsi::test::r2t({itt, 9, 1, 32}, 5, 0, 0, 1024)),
                  "initiator-session.stat-sn-not-next"));
}

TEST_F(InitiatorSession, ExpCmdSnAndMaxCmdSnGoingBack) {
  start_read(512);
  feed(iscsi::test::nop_in_ping({pdu::kReservedTag, 1, 2, 40}, pdu::kReservedTag));
  const auto after =
      feed(iscsi::test::nop_in_ping({pdu::kReservedTag, 1, 1, 35}, pdu::kReservedTag));
  EXPECT_TRUE(has(after, "initiator-session.exp-cmd-sn-backwards"));
  EXPECT_TRUE(has(after, "initiator-session.max-cmd-sn-backwards"));
  EXPECT_EQ(engine->exp_cmd_sn(), 2u);
  EXPECT_EQ(engine->max_cmd_sn(), 40u);
}

TEST_F(InitiatorSession, WindowWithMaxCmdSnBelowExpCmdSnIsIgnored) {
  const auto after =
      feed(iscsi::test::nop_in_ping({pdu::kReservedTag, 1, 1, 0xfffffff0u}, pdu::kReservedTag));
  EXPECT_TRUE(has(after, "initiator-session.max-cmd-sn-below-exp-cmd-sn"));
  EXPECT_EQ(engine->max_cmd_sn(), 32u);
}

TEST_F(InitiatorSession, ExpCmdSnAheadOfWhatWasSent) {
  EXPECT_TRUE(has(feed(iscsi::test::nop_in_ping({pdu::kReservedTag, 1, 9, 40}, pdu::kReservedTag)),
                  "initiator-session.exp-cmd-sn-ahead"));
}

TEST_F(InitiatorSession, UnknownItt) {
  start_read(512);
  EXPECT_TRUE(has(feed(iscsi::test::scsi_response(sn(0x999), 0)), "initiator-session.unknown-itt"));
  EXPECT_TRUE(
      has(feed(iscsi::test::data_in({.itt = 0x999, .final = false}, next_sn(0x999), Bytes(4, 0))),
          "initiator-session.unknown-itt"));
}

TEST_F(InitiatorSession, LoginResponseInFullFeaturePhaseIsFatal) {
  const auto after = feed(iscsi::test::login_response({}, next_sn(1), {}, {}));
  EXPECT_TRUE(has(after, "initiator-session.unexpected-opcode"));
  EXPECT_TRUE(engine->closed());
}

TEST_F(InitiatorSession, FrameErrorClosesTheConnection) {
  start_read(512);
  pdu::FrameError error{
      Violation{{"pdu.data-digest-mismatch", "RFC 7143 §13.1", Severity::recoverable}, "test"}, {}};
  engine->on_frame_error(at_ms(1), error);
  const auto after = take();
  EXPECT_TRUE(has(after, "pdu.data-digest-mismatch"));
  EXPECT_EQ(all_of<CommandCompleted>(after).size(), 1u);
  EXPECT_TRUE(engine->closed());
}

// ---- Data-In --------------------------------------------------------------------------------

TEST_F(InitiatorSession, DuplicateDataSnFailsTheTask) {
  const std::uint32_t itt = start_read(1024);
  feed(iscsi::test::data_in({.itt = itt, .final = false}, next_sn(itt), Bytes(512, 1)));
  const auto dup =
      feed(iscsi::test::data_in({.itt = itt, .data_sn = 0, .buffer_offset = 512, .final = false},
                                next_sn(itt), Bytes(512, 2)));
  EXPECT_TRUE(has(dup, "initiator-session.data-in-data-sn"));
  const auto after = feed(iscsi::test::scsi_response(sn(itt), 0));
  const auto done = all_of<CommandCompleted>(after);
  ASSERT_EQ(done.size(), 1u);
  ASSERT_TRUE(done[0].failure.has_value());
  EXPECT_EQ(done[0].failure->reason, FailureReason::protocol_error);
}

TEST_F(InitiatorSession, BufferOffsetGap) {
  const std::uint32_t itt = start_read(2048);
  feed(iscsi::test::data_in({.itt = itt, .final = false}, next_sn(itt), Bytes(512, 1)));
  EXPECT_TRUE(has(
      feed(iscsi::test::data_in({.itt = itt, .data_sn = 1, .buffer_offset = 1024, .final = false},
                                next_sn(itt), Bytes(512, 2))),
      "initiator-session.data-in-buffer-offset"));
}

TEST_F(InitiatorSession, DataPastTheExpectedLength) {
  const std::uint32_t itt = start_read(1024);
  feed(iscsi::test::data_in({.itt = itt, .final = false}, next_sn(itt), Bytes(512, 1)));
  EXPECT_TRUE(has(
      feed(iscsi::test::data_in({.itt = itt, .data_sn = 1, .buffer_offset = 512, .final = false},
                                next_sn(itt), Bytes(1024, 2))),
      "initiator-session.data-in-past-expected-length"));
}

TEST_F(InitiatorSession, WrongResidualCount) {
  const std::uint32_t itt = start_read(4096);
  pdu::Pdu last = iscsi::test::data_in({.itt = itt}, sn(itt), Bytes(1024, 1), 0);
  auto& header = std::get<pdu::ScsiDataIn>(last.header);
  header.residual_underflow = true;
  header.residual_count = 100;
  const auto after = feed(last);
  EXPECT_TRUE(has(after, "initiator-session.residual-mismatch"));
  ASSERT_EQ(all_of<CommandCompleted>(after).size(), 1u);
  EXPECT_TRUE(all_of<CommandCompleted>(after)[0].status_in_data_in);
}

TEST_F(InitiatorSession, ShortReadWithoutUnderflow) {
  const std::uint32_t itt = start_read(4096);
  feed(iscsi::test::data_in({.itt = itt, .final = true}, next_sn(itt), Bytes(1024, 1)));
  pdu::Pdu response = iscsi::test::scsi_response(sn(itt), 0);
  std::get<pdu::ScsiResponse>(response.header).exp_data_sn = 1;
  EXPECT_TRUE(has(feed(response), "initiator-session.residual-missing-underflow"));
}

TEST_F(InitiatorSession, ExpDataSnMismatch) {
  const std::uint32_t itt = start_read(512);
  feed(iscsi::test::data_in({.itt = itt, .final = true}, next_sn(itt), Bytes(512, 1)));
  EXPECT_TRUE(
      has(feed(iscsi::test::scsi_response(sn(itt), 0)), "initiator-session.exp-data-sn-mismatch"));
}

TEST_F(InitiatorSession, StatusWithoutFinalAndAckAtErl0) {
  const std::uint32_t itt = start_read(512);
  pdu::Pdu pdu = iscsi::test::data_in({.itt = itt}, sn(itt), Bytes(512, 1), 0);
  auto& header = std::get<pdu::ScsiDataIn>(pdu.header);
  header.final = false;
  header.acknowledge = true;
  const auto after = feed(pdu);
  EXPECT_TRUE(has(after, "initiator-session.data-in-status-not-final"));
  EXPECT_TRUE(has(after, "initiator-session.data-in-ack-at-erl0"));
}

TEST_F(InitiatorSession, CheckConditionWithoutSense) {
  const std::uint32_t itt = start_read(512);
  pdu::Pdu response = iscsi::test::scsi_response(sn(itt), 0x02);
  const auto after = feed(response);
  EXPECT_TRUE(has(after, "initiator-session.check-condition-without-sense"));
}

TEST_F(InitiatorSession, SenseLengthBeyondTheData) {
  const std::uint32_t itt = start_read(512);
  pdu::Pdu response = iscsi::test::scsi_response(sn(itt), 0x02, Bytes(18, 0x70));
  store_be16(response.data.data(), 40);
  const auto after = feed(response);
  EXPECT_TRUE(has(after, "initiator-session.sense-length"));
  ASSERT_EQ(all_of<CommandCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<CommandCompleted>(after)[0].sense.size(), 18u);
}

// ---- R2T ------------------------------------------------------------------------------------

struct BadR2t {
  const char* name;
  std::uint32_t ttt;
  std::uint32_t r2t_sn;
  std::uint32_t offset;
  std::uint32_t length;
  const char* id;
};

class InitiatorBadR2ts : public InitiatorSession, public ::testing::WithParamInterface<BadR2t> {};

TEST_P(InitiatorBadR2ts, CloseTheConnection) {
  const BadR2t& bad = GetParam();
  const std::uint32_t itt = start_write(4096);
  const auto after =
      feed(iscsi::test::r2t(next_sn(itt), bad.ttt, bad.r2t_sn, bad.offset, bad.length));
  EXPECT_TRUE(has(after, bad.id)) << ::testing::PrintToString(ids(after));
  EXPECT_TRUE(engine->closed());
  ASSERT_EQ(all_of<CommandCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<CommandCompleted>(after)[0].failure->reason, FailureReason::connection_lost);
  EXPECT_TRUE(pdus(after).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, InitiatorBadR2ts,
    ::testing::Values(BadR2t{"sn", 5, 1, 0, 512, "initiator-session.r2t-sn"},
                      BadR2t{"ttt", pdu::kReservedTag, 0, 0, 512,
                             "initiator-session.r2t-reserved-ttt"},
                      BadR2t{"zero", 5, 0, 0, 0, "initiator-session.r2t-length"},
                      BadR2t{"burst", 5, 0, 0, 262144 + 512, "initiator-session.r2t-length"},
                      BadR2t{"past", 5, 0, 2048, 4096, "initiator-session.r2t-buffer-offset"},
                      BadR2t{"order", 5, 0, 1024, 512, "initiator-session.r2t-buffer-offset"}),
    [](const ::testing::TestParamInfo<BadR2t>& param_info) {
      return std::string(param_info.param.name);
    });

TEST_F(InitiatorSession, R2tForARead) {
  const std::uint32_t itt = start_read(512);
  EXPECT_TRUE(has(feed(iscsi::test::r2t(next_sn(itt), 5, 0, 0, 512)),
                  "initiator-session.r2t-for-non-write"));
}

TEST_F(InitiatorSession, R2tsBeyondMaxOutstandingR2t) {
  negotiation::SessionParameters session;
  session.immediate_data = false;
  session.max_burst_length = 1024;
  build(session);
  const std::uint32_t itt = start_write(4096);
  engine->on_pdu(at_ms(0), iscsi::test::r2t(next_sn(itt), 5, 0, 0, 1024));
  // Our answer to R2T 0 has not even been handed out when R2T 1 arrives.
  engine->on_pdu(at_ms(0), iscsi::test::r2t(next_sn(itt), 6, 1, 1024, 1024));
  const auto after = take();
  EXPECT_TRUE(has(after, "initiator-session.r2t-too-many-outstanding"));
  EXPECT_EQ(pdus(after).size(), 2u);  // both answered anyway
  EXPECT_FALSE(has(feed(iscsi::test::r2t(next_sn(itt), 7, 2, 2048, 1024)),
                   "initiator-session.r2t-too-many-outstanding"));
}

// ---- Text, Logout, Reject, Async --------------------------------------------------------------

TEST_F(InitiatorSession, TextResponseFinalWithATtt) {
  engine->send_text({{"SendTargets", "All"}});
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  pdu::Pdu response = iscsi::test::text_response(sn(pdu::itt(sent[0])), {});
  std::get<pdu::TextResponse>(response.header).ttt = 0x42;
  const auto after = feed(response);
  EXPECT_TRUE(has(after, "initiator-session.text-response-ttt"));
  ASSERT_EQ(all_of<TextCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<TextCompleted>(after)[0].failure->reason, FailureReason::protocol_error);
}

TEST_F(InitiatorSession, TextResponseContinuesWithTheTtt) {
  engine->send_text({{"SendTargets", "All"}});
  const std::uint32_t itt = pdu::itt(pdus(take()).at(0));
  const Bytes text = iscsi::test::key_text({{"TargetName", "iqn.2026-11.org.example:a"}});
  pdu::Pdu first = iscsi::test::text_response(sn(itt), Bytes(text.begin(), text.begin() + 7));
  auto& header = std::get<pdu::TextResponse>(first.header);
  header.final = false;
  header.continue_ = true;
  header.ttt = 0x99;
  const auto sent = pdus(feed(first));
  ASSERT_EQ(sent.size(), 1u);
  const auto& request = std::get<pdu::TextRequest>(sent[0].header);
  EXPECT_EQ(request.ttt, 0x99u);
  EXPECT_TRUE(sent[0].data.empty());
  const auto after = feed(iscsi::test::text_response(sn(itt), Bytes(text.begin() + 7, text.end())));
  const auto done = all_of<TextCompleted>(after);
  ASSERT_EQ(done.size(), 1u);
  ASSERT_FALSE(done[0].failure.has_value());
  EXPECT_EQ(done[0].pairs, (text::KeyValueList{{"TargetName", "iqn.2026-11.org.example:a"}}));
}

TEST_F(InitiatorSession, RejectWithoutBhsAndDeprecatedReason) {
  const auto after = feed(iscsi::test::reject(
      sn(pdu::kReservedTag), pdu::RejectReason::deprecated_negotiation_reset, Bytes(10, 0)));
  EXPECT_TRUE(has(after, "initiator-session.reject-without-bhs"));
  EXPECT_TRUE(has(after, "initiator-session.reject-deprecated-reason"));
  EXPECT_EQ(all_of<RejectReceived>(after).size(), 1u);
}

TEST_F(InitiatorSession, AsyncWithAnItt) {
  pdu::Pdu async =
      iscsi::test::async_message(sn(pdu::kReservedTag), pdu::AsyncEvent::scsi_async_event, 0);
  std::get<pdu::AsyncMessage>(async.header).itt = 4;
  EXPECT_TRUE(has(feed(async), "initiator-session.async-message-invalid"));
}

TEST_F(InitiatorSession, LogoutResponseTimeout) {
  engine->logout(pdu::LogoutReason::close_connection);
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<pdu::LogoutRequest>(sent[0].header).reason_code,
            pdu::LogoutReason::close_connection);
  EXPECT_EQ(engine->next_deadline(), at_ms(15000));
  engine->on_deadline(at_ms(15000));
  const auto after = take();
  EXPECT_TRUE(has(after, "initiator-session.logout-response-timeout"));
  ASSERT_EQ(all_of<LogoutCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<LogoutCompleted>(after)[0].failure->reason, FailureReason::connection_lost);
}

TEST_F(InitiatorSession, NopReplyWithTttAndData) {
  build({}, 8192, NopSettings{std::chrono::seconds(1), {}});
  engine->on_deadline(at_ms(1000));
  const std::uint32_t itt = pdu::itt(pdus(take()).at(0));
  pdu::Pdu reply = iscsi::test::nop_in_reply(sn(itt), Bytes{1, 2});
  std::get<pdu::NopIn>(reply.header).ttt = 3;
  const auto after = feed(reply, 1001);
  EXPECT_TRUE(has(after, "initiator-session.nop-in-reply-ttt"));
  EXPECT_TRUE(has(after, "initiator-session.nop-in-reply-data"));
  EXPECT_EQ(engine->next_deadline(), at_ms(2001));
}

// ---- orders RFC 7143 §13.18/§13.19 allow, and requests refused locally ----------------------

TEST_F(InitiatorSession, OutOfOrderDataInWithDataPduInOrderNo) {
  negotiation::SessionParameters session;
  session.data_pdu_in_order = false;
  build(session);
  const std::uint32_t itt = start_read(1536);
  const Bytes data = iscsi::test::pattern_bytes(1536);
  const auto part = [&data](std::size_t from) {
    return Bytes(data.begin() + static_cast<long>(from),
                 data.begin() + static_cast<long>(from) + 512);
  };
  feed(iscsi::test::data_in({.itt = itt, .data_sn = 0, .buffer_offset = 1024, .final = false},
                            next_sn(itt), part(1024)));
  const auto overlap = feed(iscsi::test::data_in(
      {.itt = itt, .data_sn = 1, .buffer_offset = 1024, .final = false}, next_sn(itt), part(1024)));
  EXPECT_TRUE(has(overlap, "initiator-session.data-in-buffer-offset"));
  build(session);
  const std::uint32_t again = start_read(1536);
  feed(iscsi::test::data_in({.itt = again, .data_sn = 0, .buffer_offset = 1024, .final = false},
                            next_sn(again), part(1024)));
  feed(iscsi::test::data_in({.itt = again, .data_sn = 1, .buffer_offset = 0, .final = false},
                            next_sn(again), part(0)));
  stat_sn = 1;
  const auto after = feed(iscsi::test::data_in({.itt = again, .data_sn = 2, .buffer_offset = 512},
                                               sn(again), part(512), 0));
  const auto done = all_of<CommandCompleted>(after);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].failure.has_value());
  EXPECT_EQ(done[0].data_in, data);
  EXPECT_TRUE(ids(after).empty());
}

TEST_F(InitiatorSession, OverlappingR2tsWithDataSequenceInOrderNo) {
  negotiation::SessionParameters session;
  session.immediate_data = false;
  session.data_sequence_in_order = false;
  session.max_outstanding_r2t = 4;
  build(session);
  const std::uint32_t itt = start_write(4096);
  EXPECT_EQ(pdus(feed(iscsi::test::r2t(next_sn(itt), 5, 0, 2048, 2048))).size(), 1u);
  EXPECT_EQ(pdus(feed(iscsi::test::r2t(next_sn(itt), 6, 1, 0, 1024))).size(), 1u);
  const auto after = feed(iscsi::test::r2t(next_sn(itt), 7, 2, 512, 1024));
  EXPECT_TRUE(has(after, "initiator-session.r2t-buffer-offset"));
  EXPECT_TRUE(engine->closed());
}

TEST_F(InitiatorSession, RefusedRequests) {
  ScsiRequest bidi = read_request(0, 1);
  bidi.data_out = Bytes(512, 0);
  const TaskId a = engine->submit(bidi);
  ScsiRequest long_cdb = read_request(0, 1);
  long_cdb.cdb = CdbBytes(kMaxCdbBytes + 1, 0);
  const TaskId b = engine->submit(long_cdb);
  ScsiRequest huge = read_request(0, 1);
  huge.expected_data_in_length = kDefaultMaxDataInBytesPerTask + 1;
  const TaskId c = engine->submit(huge);
  const auto after = take();
  const auto done = all_of<CommandCompleted>(after);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ((std::vector<TaskId>{done[0].task, done[1].task, done[2].task}),
            (std::vector<TaskId>{a, b, c}));
  for (const auto& d : done) EXPECT_EQ(d.failure->reason, FailureReason::invalid_request);
  EXPECT_TRUE(pdus(after).empty());
}

TEST_F(InitiatorSession, QueueLimitAndLocalAbortOfAQueuedCommand) {
  SessionSetup setup;
  setup.cmd_sn = 1;
  setup.exp_stat_sn = 1;
  setup.exp_cmd_sn = 1;
  setup.max_cmd_sn = 0;  // closed window
  setup.limits.max_queued_commands = 2;
  engine = std::make_unique<SessionEngine>(std::move(setup), at_ms(0));
  const TaskId first = engine->submit(read_request(0, 1));
  engine->submit(read_request(0, 1));
  const TaskId third = engine->submit(read_request(0, 1));
  auto after = take();
  EXPECT_TRUE(pdus(after).empty());
  ASSERT_EQ(all_of<CommandCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<CommandCompleted>(after)[0].task, third);
  EXPECT_EQ(all_of<CommandCompleted>(after)[0].failure->reason, FailureReason::queue_full);
  engine->abort_task(first);
  after = take();
  EXPECT_TRUE(pdus(after).empty());  // never sent: nothing to ask the target
  ASSERT_EQ(all_of<TaskManagementCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<TaskManagementCompleted>(after)[0].aborted, std::vector<TaskId>{first});
  EXPECT_EQ(engine->queued_requests(), 1u);
  // The window opens: the remaining command goes out with the first CmdSN.
  const auto sent =
      pdus(feed(iscsi::test::nop_in_ping({pdu::kReservedTag, 1, 1, 5}, pdu::kReservedTag)));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<pdu::ScsiCommand>(sent[0].header).cmd_sn, 1u);
}

TEST_F(InitiatorSession, LongCdbGoesIntoAnExtendedCdbAhs) {
  ScsiRequest request = read_request(0, 1);
  request.cdb = iscsi::test::pattern_bytes(32);
  engine->submit(request);
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(pdu::full_cdb(sent[0]), request.cdb);
  EXPECT_FALSE(sent[0].ahs.empty());
}

TEST_F(InitiatorSession, CheckConditionInADataIn) {
  const std::uint32_t itt = start_read(512);
  EXPECT_TRUE(has(feed(iscsi::test::data_in({.itt = itt}, sn(itt), Bytes(512, 1), 0x02)),
                  "initiator-session.data-in-status-exception"));
}

TEST_F(InitiatorSession, UndefinedTmfAndLogoutResponses) {
  start_read(512);
  engine->logical_unit_reset(lun_number(1));
  const std::uint32_t tmf_itt = pdu::itt(pdus(take()).at(0));
  pdu::Pdu tmf = iscsi::test::tmf_response(sn(tmf_itt), pdu::TmfResponse::function_complete);
  std::get<pdu::TaskMgmtResponse>(tmf.header).response = static_cast<pdu::TmfResponse>(42);
  const auto after_tmf = feed(tmf);
  EXPECT_TRUE(has(after_tmf, "initiator-session.tmf-response-undefined"));
  EXPECT_TRUE(all_of<CommandCompleted>(after_tmf).empty());  // not "function complete"
  engine->logout();
  const std::uint32_t logout_itt = pdu::itt(pdus(take()).at(0));
  pdu::Pdu logout =
      iscsi::test::logout_response(sn(logout_itt), pdu::LogoutResponseCode::cleanup_failed);
  std::get<pdu::LogoutResponse>(logout.header).time2wait = 4000;
  const auto after = feed(logout);
  EXPECT_TRUE(has(after, "initiator-session.logout-response-invalid"));
  ASSERT_EQ(all_of<LogoutCompleted>(after).size(), 1u);
  EXPECT_EQ(all_of<LogoutCompleted>(after)[0].response, pdu::LogoutResponseCode::cleanup_failed);
  EXPECT_FALSE(engine->closed());  // the session goes on after a failed logout
}

TEST_F(InitiatorSession, TextAnsweredBeforeTheRequestWasComplete) {
  build({}, 512);
  text::KeyValueList pairs;
  for (int i = 0; i < 4; ++i)
    pairs.push_back({"X-org.example.k" + std::to_string(i), std::string(200, 'v')});
  engine->send_text(pairs);
  const auto sent = pdus(take());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(std::get<pdu::TextRequest>(sent[0].header).continue_);
  EXPECT_FALSE(std::get<pdu::TextRequest>(sent[0].header).final);
  const auto after = feed(iscsi::test::text_response(sn(pdu::itt(sent[0])),
                                                     iscsi::test::key_text({{"TargetName", "x"}})));
  EXPECT_TRUE(has(after, "initiator-session.text-response-flags"));
  ASSERT_EQ(all_of<TextCompleted>(after).size(), 1u);
}

TEST_F(InitiatorSession, OtherAsyncEventsAreReportedOnly) {
  pdu::Pdu async =
      iscsi::test::async_message(sn(pdu::kReservedTag), pdu::AsyncEvent::scsi_async_event, 0);
  async.data = Bytes{0, 18, 0x70, 0, 0x06};
  const auto after = feed(async);
  const auto events = all_of<AsyncEventReceived>(after);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, async.data);
  EXPECT_TRUE(pdus(after).empty());
  EXPECT_TRUE(ids(after).empty());
  EXPECT_EQ(engine->exp_stat_sn(), 2u);  // an Async Message consumes a StatSN
}

}  // namespace
}  // namespace iscsi::initiator::session::test
