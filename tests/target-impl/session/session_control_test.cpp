// NOP, Text, Logout, Reject, SNACK, Async and Discovery sessions through the engine.
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/framer.hpp"
#include "core/text/key_value.hpp"
#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::key_text;
using iscsi::test::logout_request;
using iscsi::test::nop_out_ping;
using iscsi::test::pattern_bytes;
using iscsi::test::scsi_read10;
using iscsi::test::text_request;

pdu::Pdu nop_answer(std::uint32_t ttt, bool immediate = true) {
  pdu::NopOut nop;
  nop.immediate = immediate;
  nop.itt = pdu::kReservedTag;
  nop.ttt = ttt;
  nop.cmd_sn = 1;
  nop.exp_stat_sn = 1;
  return {nop, {}, {}};
}

TEST(SessionNopTest, PingIsEchoedWithItsData) {
  Harness h;
  const Bytes data = pattern_bytes(100, 4);
  const std::vector<pdu::Pdu> pdus = pdus_of(h.send(nop_out_ping({.itt = 0x31, .cmd_sn = 1}, data)));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& reply = header<pdu::NopIn>(pdus[0]);
  EXPECT_EQ(reply.itt, 0x31u);
  EXPECT_EQ(reply.ttt, pdu::kReservedTag);
  EXPECT_EQ(reply.stat_sn, 1u);
  EXPECT_EQ(pdus[0].data, data);  // C126
}

TEST(SessionNopTest, NoAnswerForReservedIttAndRejectWhenNotImmediate) {
  Harness h;
  EXPECT_TRUE(h.send(nop_answer(pdu::kReservedTag)).empty());  // C127
  const std::vector<Output> outputs = h.send(nop_answer(pdu::kReservedTag, false));
  EXPECT_TRUE(has_violation(outputs, "session.nop-out-reserved-itt-not-immediate"));
  EXPECT_EQ(header<pdu::Reject>(of_opcode(outputs, pdu::Opcode::reject).at(0)).reason,
            pdu::RejectReason::protocol_error);  // C128
}

TEST(SessionNopTest, TargetPingsAfterTheIntervalAndTheAnswerClearsIt) {
  Harness h({}, NopSettings{5s, 15s});
  EXPECT_EQ(h.engine->next_deadline(), t(5000));
  (void)h.send(nop_out_ping({.itt = 1, .cmd_sn = 1}, {}), 2000);  // traffic restarts the clock
  EXPECT_EQ(h.engine->next_deadline(), t(7000));
  h.engine->on_deadline(t(7000));
  const std::vector<pdu::Pdu> pdus = pdus_of(h.drain());
  ASSERT_EQ(pdus.size(), 1u);
  const auto& ping = header<pdu::NopIn>(pdus[0]);
  EXPECT_EQ(ping.itt, pdu::kReservedTag);
  EXPECT_NE(ping.ttt, pdu::kReservedTag);
  EXPECT_EQ(ping.stat_sn, 2u);  // carried, not consumed
  EXPECT_EQ(h.engine->next_deadline(), t(22000));
  EXPECT_TRUE(h.send(nop_answer(ping.ttt), 8000).empty());
  EXPECT_EQ(h.engine->next_deadline(), t(13000));
  h.engine->on_deadline(t(22000));  // the old timeout no longer applies
  EXPECT_FALSE(h.engine->closed());
}

TEST(SessionNopTest, UnansweredPingClosesTheConnection) {
  Harness h({}, NopSettings{5s, 15s});
  h.engine->on_deadline(t(5000));
  (void)h.drain();
  h.engine->on_deadline(t(19999));
  EXPECT_FALSE(h.engine->closed());
  h.engine->on_deadline(t(20000));
  const std::vector<Output> outputs = h.drain();
  EXPECT_TRUE(has_violation(outputs, "session.nop-in-timeout"));
  const CloseConnection* close = close_of(outputs);
  ASSERT_NE(close, nullptr);
  EXPECT_FALSE(close->graceful);
  EXPECT_TRUE(h.engine->closed());
  EXPECT_EQ(h.engine->next_deadline(), std::nullopt);
  EXPECT_EQ(h.port.removed, std::vector<scsi::NexusId>{42});
}

TEST(SessionNopTest, AnswerWithUnknownTttIsRejected) {
  Harness h;
  const std::vector<Output> outputs = h.send(nop_answer(0x1234));
  EXPECT_TRUE(has_violation(outputs, "session.nop-out-unknown-ttt"));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
}

// ---- Logout ------------------------------------------------------------------------------------

TEST(SessionLogoutTest, CloseSessionAnswersAndClosesGracefully) {
  Harness h;
  const std::vector<Output> outputs = h.send(
      logout_request({.itt = 0x40, .cmd_sn = 1, .immediate = true}, pdu::LogoutReason::close_session));
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 1u);
  const auto& response = header<pdu::LogoutResponse>(pdus[0]);
  EXPECT_EQ(response.response, pdu::LogoutResponseCode::closed_successfully);
  EXPECT_EQ(response.itt, 0x40u);
  EXPECT_EQ(response.time2wait, 0u);
  const CloseConnection* close = close_of(outputs);
  ASSERT_NE(close, nullptr);
  EXPECT_TRUE(close->graceful);
  EXPECT_TRUE(h.engine->closed());
  EXPECT_EQ(h.port.removed.size(), 1u);
}

TEST(SessionLogoutTest, UnknownCidAndRecoveryAreRefusedAndTheSessionGoesOn) {
  Harness h;
  std::vector<pdu::Pdu> pdus = pdus_of(h.send(logout_request(
      {.itt = 1, .cmd_sn = 1, .immediate = true}, pdu::LogoutReason::close_connection, 9)));
  EXPECT_EQ(header<pdu::LogoutResponse>(pdus.at(0)).response,
            pdu::LogoutResponseCode::cid_not_found);  // C164
  pdus = pdus_of(h.send(logout_request({.itt = 2, .cmd_sn = 1, .immediate = true},
                                       pdu::LogoutReason::remove_connection_for_recovery)));
  EXPECT_EQ(header<pdu::LogoutResponse>(pdus.at(0)).response,
            pdu::LogoutResponseCode::connection_recovery_not_supported);  // C165
  EXPECT_FALSE(h.engine->closed());
  pdus = pdus_of(h.send(logout_request({.itt = 3, .cmd_sn = 1, .immediate = true},
                                       pdu::LogoutReason::close_connection, 0)));
  EXPECT_EQ(header<pdu::LogoutResponse>(pdus.at(0)).response,
            pdu::LogoutResponseCode::closed_successfully);  // C163
  EXPECT_TRUE(h.engine->closed());
}

TEST(SessionLogoutTest, NonImmediateLogoutWaitsForEarlierCommands) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  std::vector<Output> outputs =
      h.send(logout_request({.itt = 2, .cmd_sn = 2}, pdu::LogoutReason::close_session));
  EXPECT_TRUE(pdus_of(outputs).empty());
  outputs = h.send(scsi_read10({.itt = 3, .cmd_sn = 3}, {.lun = 1}));
  EXPECT_TRUE(has_violation(outputs, "session.command-after-logout"));
  outputs = h.complete(result(scsi::kStatusGood, Bytes(512, 0)));
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 2u);  // C166: the read's status first, then the Logout Response
  EXPECT_EQ(pdu::opcode(pdus[0]), pdu::Opcode::scsi_data_in);
  EXPECT_EQ(pdu::opcode(pdus[1]), pdu::Opcode::logout_response);
  EXPECT_EQ(header<pdu::LogoutResponse>(pdus[1]).stat_sn, 2u);
  ASSERT_NE(close_of(outputs), nullptr);
  EXPECT_EQ(h.port.executed.size(), 1u);
}

TEST(SessionLogoutTest, AsyncLogoutRequestAndItsDeadline) {
  Harness h;
  h.engine->request_logout(t(1000), 5);
  std::vector<Output> outputs = h.drain();
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 1u);
  const auto& async = header<pdu::AsyncMessage>(pdus[0]);
  EXPECT_EQ(async.async_event, pdu::AsyncEvent::logout_request);
  EXPECT_EQ(async.parameter3, 5u);
  EXPECT_EQ(async.itt, pdu::kReservedTag);
  EXPECT_EQ(async.stat_sn, 1u);
  EXPECT_EQ(h.engine->next_deadline(), t(6000));
  h.engine->on_deadline(t(6000));
  outputs = h.drain();
  EXPECT_TRUE(has_violation(outputs, "session.logout-request-ignored"));
  EXPECT_TRUE(h.engine->closed());
}

// ---- Text ------------------------------------------------------------------------------------

TEST(SessionTextTest, SendTargetsInADiscoverySession) {
  Harness h({.discovery = true});
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.send(text_request({.itt = 0x50, .cmd_sn = 1}, key_text({{"SendTargets", "All"}}))));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& response = header<pdu::TextResponse>(pdus[0]);
  EXPECT_TRUE(response.final);
  EXPECT_FALSE(response.continue_);
  EXPECT_EQ(response.ttt, pdu::kReservedTag);
  EXPECT_EQ(response.itt, 0x50u);
  EXPECT_EQ(pdus[0].data, key_text({{"TargetName", "iqn.2026-11.org.example:disk"},
                                    {"TargetAddress", "127.0.0.1:3260,1"}}));
}

TEST(SessionTextTest, LongAnswerIsSplitByTheInitiatorsMaxRecvDataSegmentLength) {
  Harness h({.initiator_mrdsl = 16, .discovery = true});
  std::vector<pdu::Pdu> pdus =
      pdus_of(h.send(text_request({.itt = 0x50, .cmd_sn = 1}, key_text({{"SendTargets", "All"}}))));
  Bytes joined;
  std::uint32_t cmd_sn = 2;
  // Bounded: the answer is 76 bytes, five segments of 16.
  for (int round = 0; round < 10; ++round) {
    ASSERT_EQ(pdus.size(), 1u);
    const auto& response = header<pdu::TextResponse>(pdus[0]);
    EXPECT_LE(pdus[0].data.size(), 16u);
    joined.insert(joined.end(), pdus[0].data.begin(), pdus[0].data.end());
    if (response.final) {
      EXPECT_EQ(response.ttt, pdu::kReservedTag);
      break;
    }
    EXPECT_TRUE(response.continue_);  // C112
    EXPECT_NE(response.ttt, pdu::kReservedTag);
    pdu::Pdu next = text_request({.itt = 0x50, .cmd_sn = cmd_sn++}, {});
    std::get<pdu::TextRequest>(next.header).ttt = response.ttt;
    pdus = pdus_of(h.send(next));
  }
  EXPECT_EQ(joined, key_text({{"TargetName", "iqn.2026-11.org.example:disk"},
                              {"TargetAddress", "127.0.0.1:3260,1"}}));
}

TEST(SessionTextTest, InitiatorContinuationIsJoinedBeforeAnswering) {
  Harness h;
  pdu::Pdu first = text_request({.itt = 0x51, .cmd_sn = 1}, to_bytes("SendTarg"));
  auto& first_header = std::get<pdu::TextRequest>(first.header);
  first_header.final = false;
  first_header.continue_ = true;
  std::vector<pdu::Pdu> pdus = pdus_of(h.send(first));
  ASSERT_EQ(pdus.size(), 1u);
  const auto& empty = header<pdu::TextResponse>(pdus[0]);
  EXPECT_FALSE(empty.final);
  EXPECT_TRUE(pdus[0].data.empty());
  pdu::Pdu second = text_request({.itt = 0x51, .cmd_sn = 2}, Bytes{'e', 't', 's', '=', 0});
  std::get<pdu::TextRequest>(second.header).ttt = empty.ttt;
  pdus = pdus_of(h.send(second));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_TRUE(header<pdu::TextResponse>(pdus[0]).final);
  EXPECT_EQ(pdus[0].data, key_text({{"TargetName", "iqn.2026-11.org.example:disk"},
                                    {"TargetAddress", "127.0.0.1:3260,1"}}));
}

TEST(SessionTextTest, UnknownTttIsRejected) {
  Harness h;
  pdu::Pdu request = text_request({.itt = 0x52, .cmd_sn = 1}, {});
  std::get<pdu::TextRequest>(request.header).ttt = 0x999;
  const std::vector<Output> outputs = h.send(request);
  EXPECT_TRUE(has_violation(outputs, "session.text-unknown-ttt"));
  EXPECT_EQ(header<pdu::Reject>(of_opcode(outputs, pdu::Opcode::reject).at(0)).reason,
            pdu::RejectReason::invalid_pdu_field);  // C175
}

TEST(SessionTextTest, MaxRecvDataSegmentLengthIsRenegotiatedAndUsedForDataIn) {
  Harness h({.initiator_mrdsl = 8192});
  std::vector<pdu::Pdu> pdus = pdus_of(h.send(text_request(
      {.itt = 0x53, .cmd_sn = 1}, key_text({{"MaxRecvDataSegmentLength", "4096"}}))));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_TRUE(header<pdu::TextResponse>(pdus[0]).final);
  EXPECT_EQ(h.engine->parameters().connection.initiator_max_recv_data_segment_length, 4096u);
  (void)h.send(scsi_read10({.itt = 0x54, .cmd_sn = 2}, {.lun = 1, .blocks = 16}));
  pdus = pdus_of(h.complete(result(scsi::kStatusGood, pattern_bytes(8192))));
  ASSERT_EQ(pdus.size(), 2u);
  EXPECT_EQ(pdus[0].data.size(), 4096u);
}

TEST(SessionTextTest, LoginOnlyKeyIsAnsweredRejectAndMalformedTextIsRejected) {
  Harness h;
  std::vector<Output> outputs =
      h.send(text_request({.itt = 0x55, .cmd_sn = 1}, key_text({{"MaxBurstLength", "4096"}})));
  EXPECT_TRUE(has_violation(outputs, "negotiation.key-not-renegotiable"));
  const std::vector<pdu::Pdu> pdus = of_opcode(outputs, pdu::Opcode::text_response);
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(pdus[0].data, key_text({{"MaxBurstLength", "Reject"}}));
  outputs = h.send(text_request({.itt = 0x56, .cmd_sn = 2}, to_bytes("NoEqualsHere")));
  EXPECT_TRUE(has_violation(outputs, "session.text-negotiation-failed"));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
  EXPECT_FALSE(h.engine->closed());
}

// ---- Reject, SNACK, Discovery, framing -------------------------------------------------------

TEST(SessionRejectTest, DiscoverySessionRefusesScsiCommands) {
  Harness h({.discovery = true});
  const std::vector<Output> outputs = h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 0}));
  EXPECT_TRUE(has_violation(outputs, "session.not-allowed-in-discovery"));
  EXPECT_EQ(header<pdu::Reject>(of_opcode(outputs, pdu::Opcode::reject).at(0)).reason,
            pdu::RejectReason::command_not_supported);  // C111
  EXPECT_EQ(pdus_of(h.send(nop_out_ping({.itt = 2, .cmd_sn = 1}, {}))).size(), 1u);
}

TEST(SessionRejectTest, SnackAtErl0AndTargetOpcodesAndLoginAreRejected) {
  Harness h;
  std::vector<Output> outputs =
      h.send(iscsi::test::snack_request(pdu::SnackType::status, pdu::kReservedTag, 1, 0));
  EXPECT_TRUE(has_violation(outputs, "session.snack-at-erl0"));
  EXPECT_EQ(header<pdu::Reject>(of_opcode(outputs, pdu::Opcode::reject).at(0)).reason,
            pdu::RejectReason::protocol_error);  // C174
  outputs = h.send(iscsi::test::nop_in_ping({}, 5));
  EXPECT_TRUE(has_violation(outputs, "session.unexpected-opcode"));
  const std::vector<pdu::Pdu> rejects = of_opcode(outputs, pdu::Opcode::reject);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].data[0] & 0x3f, 0x20);  // C008, C170
  outputs = h.send(iscsi::test::discovery_login_request("iqn.x"));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
  EXPECT_FALSE(h.engine->closed());
}

TEST(SessionRejectTest, VendorOpcodeIsRejectedWithCommandNotSupported) {
  Harness h;
  Bytes bhs(48, 0);
  bhs[0] = 0x1c;  // initiator vendor-specific opcode (C009)
  bhs[1] = 0x80;
  pdu::Framer framer({.digests = {}, .max_data_segment_length = 8192});
  framer.feed(bhs);
  pdu::FrameEvent event = framer.next();
  ASSERT_TRUE(std::holds_alternative<pdu::FrameError>(event));
  ASSERT_FALSE(std::get<pdu::FrameError>(event).fatal());
  h.engine->on_frame_error(t(1), std::get<pdu::FrameError>(event));
  const std::vector<Output> outputs = h.drain();
  EXPECT_TRUE(has_violation(outputs, "pdu.vendor-opcode"));
  const std::vector<pdu::Pdu> rejects = of_opcode(outputs, pdu::Opcode::reject);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(header<pdu::Reject>(rejects[0]).reason, pdu::RejectReason::command_not_supported);
  EXPECT_EQ(rejects[0].data, bhs);
  EXPECT_FALSE(h.engine->closed());
}

TEST(SessionRejectTest, HeaderDigestErrorClosesTheConnection) {
  Harness h;
  Bytes wire = iscsi::test::wire(nop_out_ping({.itt = 1, .cmd_sn = 1}, {}), {true, false});
  wire[10] ^= 0x01;
  pdu::Framer framer({.digests = {true, false}, .max_data_segment_length = 8192});
  framer.feed(wire);
  pdu::FrameEvent event = framer.next();
  ASSERT_TRUE(std::holds_alternative<pdu::FrameError>(event));
  ASSERT_TRUE(std::get<pdu::FrameError>(event).fatal());
  h.engine->on_frame_error(t(2), std::get<pdu::FrameError>(event));
  const std::vector<Output> outputs = h.drain();
  EXPECT_TRUE(has_violation(outputs, "pdu.header-digest-mismatch"));
  EXPECT_TRUE(pdus_of(outputs).empty());  // C184: no response to the PDU
  ASSERT_NE(close_of(outputs), nullptr);
  EXPECT_FALSE(close_of(outputs)->graceful);
  EXPECT_TRUE(h.engine->closed());
}

TEST(SessionRejectTest, TransportLossEndsTheSessionAndDropsLateCompletions) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  h.engine->on_transport_closed(t(5));
  (void)h.drain();
  EXPECT_TRUE(h.engine->closed());
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  EXPECT_EQ(h.port.removed.size(), 1u);
}

TEST(SessionRejectTest, CompletionAfterTheEngineIsGoneIsDropped) {
  FakePort port;
  {
    SessionSetup setup;
    setup.login = make_login({});
    setup.port = &port;
    SessionEngine engine(std::move(setup), t(0));
    engine.on_pdu(t(1), scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  }
  EXPECT_TRUE(port.complete_next(result(scsi::kStatusGood, Bytes(512, 0))));
  EXPECT_EQ(port.removed.size(), 1u);
}

}  // namespace
}  // namespace iscsi::target::session::test

namespace iscsi::target::session::test {
namespace {

TEST(SessionTextTest, EmptySendTargetsInANormalSessionAsksForOwnTarget) {
  Harness h;
  const std::vector<pdu::Pdu> pdus = pdus_of(
      h.send(text_request({.itt = 0x57, .cmd_sn = 1}, key_text({{"SendTargets", ""}}))));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(pdus[0].data, key_text({{"TargetName", "iqn.2026-11.org.example:disk"},
                                    {"TargetAddress", "127.0.0.1:3260,1"}}));  // C109
}

TEST(SessionLogoutTest, ReservedReasonIsRejectedAndALogoutCancelsTheAsyncDeadline) {
  Harness h;
  pdu::Pdu odd = logout_request({.itt = 1, .cmd_sn = 1, .immediate = true},
                                pdu::LogoutReason::close_session);
  std::get<pdu::LogoutRequest>(odd.header).reason_code = static_cast<pdu::LogoutReason>(9);
  std::vector<Output> outputs = h.send(odd);
  EXPECT_TRUE(has_violation(outputs, "session.logout-reserved-reason"));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
  h.engine->request_logout(t(10), 3);
  (void)h.drain();
  (void)h.send(scsi_read10({.itt = 2, .cmd_sn = 1}, {.lun = 1}), 20);
  outputs = h.send(logout_request({.itt = 3, .cmd_sn = 2}, pdu::LogoutReason::close_session), 30);
  EXPECT_EQ(h.engine->next_deadline(), std::nullopt);  // no ping configured, no logout timer
  outputs = h.complete(result(scsi::kStatusGood, Bytes(512, 0)));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::logout_response).size(), 1u);
  EXPECT_FALSE(has_violation(outputs, "session.logout-request-ignored"));
}

TEST(SessionRejectTest, DataOnAReadCommandEndsItWithCheckCondition) {
  Harness h;
  pdu::Pdu read = scsi_read10({.itt = 4, .cmd_sn = 1}, {.lun = 1});
  read.data = Bytes(64, 1);
  const std::vector<Output> outputs = h.send(read);
  EXPECT_TRUE(has_violation(outputs, "session.data-without-write-bit"));
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::scsi_response);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(header<pdu::ScsiResponse>(responses[0]).status, scsi::kStatusCheckCondition);
  EXPECT_TRUE(h.port.executed.empty());
}

TEST(SessionRejectTest, RepeatedViolationsAreReportedABoundedNumberOfTimes) {
  Harness h;
  std::size_t reports = 0;
  std::size_t rejects = 0;
  for (std::uint32_t i = 0; i < kMaxReportsPerViolationId + 10; ++i) {
    const std::vector<Output> outputs =
        h.send(iscsi::test::snack_request(pdu::SnackType::status, pdu::kReservedTag, 1, 0));
    for (const std::string& id : violation_ids(outputs)) reports += id == "session.snack-at-erl0";
    rejects += of_opcode(outputs, pdu::Opcode::reject).size();
  }
  EXPECT_EQ(reports, kMaxReportsPerViolationId);
  EXPECT_EQ(rejects, kMaxReportsPerViolationId + 10);  // every PDU is still answered
}

}  // namespace
}  // namespace iscsi::target::session::test
