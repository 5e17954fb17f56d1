// CmdSN window, StatSN and ExpStatSN through the engine (RFC 7143 §4.2.2; C116-C122, C125).
#include <gtest/gtest.h>

#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::nop_out_ping;
using iscsi::test::scsi_read10;

TEST(SessionSequencingTest, OutOfOrderCommandsAreDeliveredInCmdSnOrder) {
  Harness h;
  std::vector<Output> outputs = h.send(scsi_read10({.itt = 3, .cmd_sn = 3}, {.lun = 1}));
  outputs = h.send(scsi_read10({.itt = 2, .cmd_sn = 2}, {.lun = 1}));
  EXPECT_TRUE(h.port.executed.empty());  // CmdSN 1 is missing
  outputs = h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  ASSERT_EQ(h.port.executed.size(), 3u);
  EXPECT_EQ(h.port.executed[0].tag, 1u);
  EXPECT_EQ(h.port.executed[1].tag, 2u);
  EXPECT_EQ(h.port.executed[2].tag, 3u);  // C119
  const std::vector<pdu::Pdu> pdus =
      pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0))));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(header<pdu::ScsiDataIn>(pdus[0]).exp_cmd_sn, 4u);
}

TEST(SessionSequencingTest, CommandsOutsideTheWindowGetNoResponse) {
  Harness h;  // command window 16: [1, 16]
  std::vector<Output> outputs = h.send(scsi_read10({.itt = 9, .cmd_sn = 17}, {.lun = 1}));
  EXPECT_TRUE(pdus_of(outputs).empty());  // C116
  EXPECT_TRUE(has_violation(outputs, "session.cmdsn-out-of-window"));
  outputs = h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  outputs = h.send(scsi_read10({.itt = 2, .cmd_sn = 1}, {.lun = 1}));  // reused CmdSN (C117)
  EXPECT_TRUE(pdus_of(outputs).empty());
  EXPECT_TRUE(has_violation(outputs, "session.cmdsn-duplicate"));
  ASSERT_EQ(h.port.executed.size(), 1u);
  EXPECT_EQ(h.port.executed[0].tag, 1u);
}

TEST(SessionSequencingTest, ImmediateCommandsDoNotAdvanceExpCmdSn) {
  Harness h;
  const std::vector<pdu::Pdu> pdus = pdus_of(
      h.send(nop_out_ping({.itt = 5, .cmd_sn = 1, .immediate = true}, Bytes(4, 1))));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(header<pdu::NopIn>(pdus[0]).exp_cmd_sn, 1u);  // C118
  const std::vector<pdu::Pdu> next =
      pdus_of(h.send(nop_out_ping({.itt = 6, .cmd_sn = 1}, Bytes(4, 1))));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(header<pdu::NopIn>(next[0]).exp_cmd_sn, 2u);
  EXPECT_EQ(header<pdu::NopIn>(next[0]).stat_sn, 2u);  // C122
}

TEST(SessionSequencingTest, WindowClosesWhenAllSlotsAreTakenAndReopens) {
  Harness h;
  for (std::uint32_t sn = 1; sn <= 16; ++sn) {
    (void)h.send(scsi_read10({.itt = sn, .cmd_sn = sn}, {.lun = 1}));
  }
  EXPECT_EQ(h.port.pending.size(), 16u);
  // MaxCmdSN is still 16: CmdSN 17 is outside the window.
  std::vector<Output> outputs = h.send(scsi_read10({.itt = 17, .cmd_sn = 17}, {.lun = 1}));
  EXPECT_TRUE(has_violation(outputs, "session.cmdsn-out-of-window"));
  outputs = h.complete(result(scsi::kStatusGood, Bytes(512, 0)));
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(header<pdu::ScsiDataIn>(pdus[0]).exp_cmd_sn, 17u);
  EXPECT_EQ(header<pdu::ScsiDataIn>(pdus[0]).max_cmd_sn, 17u);  // one slot free again
  outputs = h.send(scsi_read10({.itt = 17, .cmd_sn = 17}, {.lun = 1}));
  EXPECT_EQ(h.port.executed.size(), 17u);
}

TEST(SessionSequencingTest, MaxCmdSnNeverMovesBelowTheLoginValue) {
  SessionSetup setup;
  FakePort port;
  setup.login = make_login({});
  setup.port = &port;
  setup.command_window = 4;
  setup.login_max_cmd_sn = 40;
  SessionEngine engine(std::move(setup), t(0));
  engine.on_pdu(t(1), nop_out_ping({.itt = 5, .cmd_sn = 1}, {}));
  const std::vector<pdu::Pdu> pdus = pdus_of(engine.take_outputs());
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(header<pdu::NopIn>(pdus[0]).max_cmd_sn, 40u);  // C120
}

TEST(SessionSequencingTest, StatSnCountsStatusPdusOnly) {
  Harness h({.immediate_data = false, .stat_sn = 1000});
  std::vector<pdu::Pdu> pdus = pdus_of(h.send(iscsi::test::scsi_write10(
      {.itt = 1, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, {}, false)));
  ASSERT_EQ(pdus.size(), 1u);
  EXPECT_EQ(header<pdu::R2t>(pdus[0]).stat_sn, 1000u);
  pdus = pdus_of(h.send(nop_out_ping({.itt = 7, .cmd_sn = 2}, {})));
  EXPECT_EQ(header<pdu::NopIn>(pdus.at(0)).stat_sn, 1000u);
  pdus = pdus_of(h.send(nop_out_ping({.itt = 8, .cmd_sn = 3}, {})));
  EXPECT_EQ(header<pdu::NopIn>(pdus.at(0)).stat_sn, 1001u);
}

TEST(SessionSequencingTest, ExpStatSnBeyondWhatWasSentIsReported) {
  Harness h;
  const std::vector<Output> outputs =
      h.send(nop_out_ping({.itt = 7, .cmd_sn = 1, .exp_stat_sn = 50}, {}));
  EXPECT_TRUE(has_violation(outputs, "session.exp-stat-sn-ahead"));
  EXPECT_EQ(pdus_of(outputs).size(), 1u);  // the session goes on
}

TEST(SessionSequencingTest, SecondCommandWithAnActiveIttIsRejected) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  const std::vector<Output> outputs = h.send(scsi_read10({.itt = 1, .cmd_sn = 2}, {.lun = 1}));
  EXPECT_TRUE(has_violation(outputs, "session.itt-in-use"));
  const std::vector<pdu::Pdu> rejects = of_opcode(outputs, pdu::Opcode::reject);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(header<pdu::Reject>(rejects[0]).reason, pdu::RejectReason::task_in_progress);
  EXPECT_EQ(h.port.executed.size(), 1u);
}

TEST(SessionSequencingTest, ReservedTaskAttributeIsRejected) {
  Harness h;
  pdu::Pdu command = scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1});
  std::get<pdu::ScsiCommand>(command.header).attr = static_cast<pdu::TaskAttribute>(6);
  const std::vector<Output> outputs = h.send(command);
  EXPECT_TRUE(has_violation(outputs, "session.reserved-task-attribute"));
  EXPECT_EQ(header<pdu::Reject>(of_opcode(outputs, pdu::Opcode::reject).at(0)).reason,
            pdu::RejectReason::invalid_pdu_field);
  EXPECT_TRUE(h.port.executed.empty());
}

TEST(SessionSequencingTest, CmdSnWrapsAround) {
  Harness h({.exp_cmd_sn = 0xfffffff0});
  for (std::uint32_t i = 0; i < 32; ++i) {
    (void)h.send(nop_out_ping({.itt = i, .cmd_sn = 0xfffffff0 + i}, {}));
  }
  const std::vector<pdu::Pdu> pdus = pdus_of(h.send(nop_out_ping({.itt = 99, .cmd_sn = 16}, {})));
  ASSERT_EQ(pdus.size(), 1u);  // C121
  EXPECT_EQ(header<pdu::NopIn>(pdus[0]).exp_cmd_sn, 17u);
}

}  // namespace
}  // namespace iscsi::target::session::test

namespace iscsi::target::session::test {
namespace {

TEST(SessionSequencingTest, WriteAheadOfAGapCollectsDataButRunsInOrder) {
  Harness h({.immediate_data = true, .initial_r2t = false, .first_burst_length = 8192});
  const Bytes data = iscsi::test::pattern_bytes(4096, 2);
  // CmdSN 2 arrives first, with unsolicited Data-Out right behind it.
  std::vector<Output> outputs = h.send(iscsi::test::scsi_write10(
      {.itt = 2, .cmd_sn = 2}, {.lun = 1, .blocks = 8}, Bytes(data.begin(), data.begin() + 1024),
      true));
  outputs = h.send(iscsi::test::data_out({.itt = 2, .buffer_offset = 1024, .lun = 1}, 1,
                                         Bytes(data.begin() + 1024, data.end())));
  EXPECT_TRUE(violation_ids(outputs).empty());
  EXPECT_TRUE(pdus_of(outputs).empty());
  EXPECT_TRUE(h.port.executed.empty());
  (void)h.send(iscsi::test::scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  ASSERT_EQ(h.port.executed.size(), 2u);
  EXPECT_EQ(h.port.executed[0].tag, 1u);
  EXPECT_EQ(h.port.executed[1].tag, 2u);
  EXPECT_EQ(h.port.executed[1].data_out, data);
}

TEST(SessionSequencingTest, LogoutDropsCommandsNumberedAfterIt) {
  Harness h;
  (void)h.send(iscsi::test::scsi_read10({.itt = 3, .cmd_sn = 3}, {.lun = 1}));
  const std::vector<Output> outputs = h.send(iscsi::test::logout_request(
      {.itt = 1, .cmd_sn = 1}, pdu::LogoutReason::close_session));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::logout_response).size(), 1u);
  EXPECT_TRUE(h.engine->closed());
  EXPECT_TRUE(h.port.executed.empty());
}

}  // namespace
}  // namespace iscsi::target::session::test
