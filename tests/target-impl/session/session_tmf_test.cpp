// Task management through the engine (RFC 7143 §11.5, §11.6; C152-C160).
#include <gtest/gtest.h>

#include "tests/target-impl/session/session_fixture.hpp"

namespace iscsi::target::session::test {
namespace {

using iscsi::test::scsi_read10;
using iscsi::test::tmf_request;

pdu::TmfResponse tmf_answer(const std::vector<Output>& outputs) {
  const std::vector<pdu::Pdu> responses = of_opcode(outputs, pdu::Opcode::task_mgmt_response);
  EXPECT_EQ(responses.size(), 1u);
  return responses.empty() ? pdu::TmfResponse::function_rejected
                           : header<pdu::TaskMgmtResponse>(responses[0]).response;
}

TEST(SessionTmfTest, AbortTaskOfARunningCommandDropsItsLateCompletion) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 0x61, .cmd_sn = 1}, {.lun = 1}));
  const std::vector<Output> outputs = h.send(tmf_request(
      {.itt = 0x62, .cmd_sn = 2, .immediate = true}, pdu::TmfFunction::abort_task, 1, 0x61, 1));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);  // C152
  const std::vector<pdu::Pdu> pdus = pdus_of(outputs);
  ASSERT_EQ(pdus.size(), 1u);
  const auto& response = header<pdu::TaskMgmtResponse>(pdus[0]);
  EXPECT_EQ(response.itt, 0x62u);
  EXPECT_EQ(response.stat_sn, 1u);  // C160
  ASSERT_EQ(h.port.tmfs.size(), 1u);
  EXPECT_EQ(std::get<1>(h.port.tmfs[0]), scsi::TaskManagement::abort_task);
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
}

TEST(SessionTmfTest, AbortTaskOfACommandQueuedBehindAGap) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 0x72, .cmd_sn = 2}, {.lun = 1}));
  const std::vector<Output> outputs = h.send(tmf_request(
      {.itt = 0x73, .cmd_sn = 3, .immediate = true}, pdu::TmfFunction::abort_task, 1, 0x72, 2));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);
  (void)h.send(scsi_read10({.itt = 0x71, .cmd_sn = 1}, {.lun = 1}));
  ASSERT_EQ(h.port.executed.size(), 1u);
  EXPECT_EQ(h.port.executed[0].tag, 0x71u);
  // ExpCmdSN moved past the discarded command.
  (void)h.send(scsi_read10({.itt = 0x74, .cmd_sn = 3}, {.lun = 1}));
  EXPECT_EQ(h.port.executed.size(), 2u);
}

TEST(SessionTmfTest, AbortTaskOfACommandNotYetArrived) {
  Harness h;
  const std::vector<Output> outputs = h.send(tmf_request(
      {.itt = 0x81, .cmd_sn = 2, .immediate = true}, pdu::TmfFunction::abort_task, 1, 0x80, 1));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);  // C154
  EXPECT_TRUE(pdus_of(h.send(scsi_read10({.itt = 0x80, .cmd_sn = 1}, {.lun = 1}))).empty());
  EXPECT_TRUE(h.port.executed.empty());
  (void)h.send(scsi_read10({.itt = 0x82, .cmd_sn = 2}, {.lun = 1}));
  EXPECT_EQ(h.port.executed.size(), 1u);
}

TEST(SessionTmfTest, AbortTaskOutsideTheWindowDoesNotExist) {
  Harness h({.exp_cmd_sn = 10});
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 0x91, .cmd_sn = 10, .immediate = true},
                                          pdu::TmfFunction::abort_task, 1, 0x90, 3))),
            pdu::TmfResponse::task_does_not_exist);  // C153
}

TEST(SessionTmfTest, AbortedWriteIgnoresItsLateDataOut) {
  Harness h({.immediate_data = false});
  const std::vector<Output> first = h.send(
      iscsi::test::scsi_write10({.itt = 0xa1, .cmd_sn = 1}, {.lun = 1, .blocks = 1}, {}, false));
  const std::uint32_t ttt = header<pdu::R2t>(of_opcode(first, pdu::Opcode::r2t).at(0)).ttt;
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 0xa2, .cmd_sn = 2, .immediate = true},
                                          pdu::TmfFunction::abort_task, 1, 0xa1, 1))),
            pdu::TmfResponse::function_complete);
  EXPECT_TRUE(h.send(iscsi::test::data_out({.itt = 0xa1, .ttt = ttt, .lun = 1}, 1,
                                           Bytes(512, 0)))
                  .empty());
}

TEST(SessionTmfTest, LogicalUnitResetAbortsTasksAndReachesOtherSessions) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  (void)h.send(scsi_read10({.itt = 2, .cmd_sn = 2}, {.lun = 2}));
  const std::vector<Output> outputs = h.send(tmf_request(
      {.itt = 3, .cmd_sn = 3, .immediate = true}, pdu::TmfFunction::logical_unit_reset, 1,
      pdu::kReservedTag, 0));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);
  bool applied = false;
  for (const Output& output : outputs) {
    if (const auto* tmf = std::get_if<TaskManagementApplied>(&output)) {
      applied = tmf->function == scsi::TaskManagement::logical_unit_reset &&
                tmf->lun == pdu::Lun::from_number(1);
    }
  }
  EXPECT_TRUE(applied);
  // The LUN 1 task is gone, the LUN 2 task still answers.
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  EXPECT_EQ(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).size(),
            1u);
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 4, .cmd_sn = 3, .immediate = true},
                                          pdu::TmfFunction::logical_unit_reset, 5,
                                          pdu::kReservedTag, 0))),
            pdu::TmfResponse::lun_does_not_exist);  // C156
}

TEST(SessionTmfTest, AbortTaskSetAndClearTaskSet) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 2, .cmd_sn = 2, .immediate = true},
                                          pdu::TmfFunction::abort_task_set, 1, pdu::kReservedTag,
                                          0))),
            pdu::TmfResponse::function_complete);  // C155
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 3, .cmd_sn = 2, .immediate = true},
                                          pdu::TmfFunction::clear_task_set, 1, pdu::kReservedTag,
                                          0))),
            pdu::TmfResponse::function_complete);
}

TEST(SessionTmfTest, ColdResetAnswersThenCloses) {
  Harness h;
  const std::vector<Output> outputs =
      h.send(tmf_request({.itt = 5, .cmd_sn = 1, .immediate = true},
                         pdu::TmfFunction::target_cold_reset, 0, pdu::kReservedTag, 0));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);
  const CloseConnection* close = close_of(outputs);
  ASSERT_NE(close, nullptr);  // C159
  EXPECT_TRUE(close->graceful);
  EXPECT_TRUE(h.engine->closed());
}

TEST(SessionTmfTest, UnsupportedAndUndefinedFunctions) {
  Harness h;
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 6, .cmd_sn = 1, .immediate = true},
                                          pdu::TmfFunction::task_reassign, 1, 0x44, 0))),
            pdu::TmfResponse::task_allegiance_reassignment_not_supported);  // C158
  EXPECT_EQ(tmf_answer(h.send(tmf_request({.itt = 7, .cmd_sn = 1, .immediate = true},
                                          pdu::TmfFunction::query_task, 1, 0x44, 0))),
            pdu::TmfResponse::function_not_supported);
  const std::vector<Output> outputs =
      h.send(tmf_request({.itt = 8, .cmd_sn = 1, .immediate = true},
                         static_cast<pdu::TmfFunction>(13), 1, pdu::kReservedTag, 0));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_not_supported);  // C157
  EXPECT_TRUE(has_violation(outputs, "session.tmf-undefined-function"));
}

TEST(SessionTmfTest, OtherSessionsResetAbortsOurTasksSilently) {
  Harness h;
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  h.engine->abort_tasks(pdu::Lun::from_number(1));
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  (void)h.send(scsi_read10({.itt = 1, .cmd_sn = 2}, {.lun = 1}));  // the ITT is free again
  EXPECT_EQ(h.port.executed.size(), 2u);
}

TEST(SessionTmfTest, DiscoverySessionRejectsTaskManagement) {
  Harness h({.discovery = true});
  const std::vector<Output> outputs = h.send(tmf_request(
      {.itt = 1, .cmd_sn = 1, .immediate = true}, pdu::TmfFunction::abort_task_set, 0,
      pdu::kReservedTag, 0));
  EXPECT_EQ(of_opcode(outputs, pdu::Opcode::reject).size(), 1u);
}

}  // namespace
}  // namespace iscsi::target::session::test

namespace iscsi::target::session::test {
namespace {

TEST(SessionTmfTest, WarmResetAbortsEveryTaskAndIsReported) {
  Harness h;
  (void)h.send(iscsi::test::scsi_read10({.itt = 1, .cmd_sn = 1}, {.lun = 1}));
  (void)h.send(iscsi::test::scsi_read10({.itt = 2, .cmd_sn = 2}, {.lun = 2}));
  const std::vector<Output> outputs =
      h.send(iscsi::test::tmf_request({.itt = 3, .cmd_sn = 3, .immediate = true},
                                      pdu::TmfFunction::target_warm_reset, 0, pdu::kReservedTag, 0));
  EXPECT_EQ(tmf_answer(outputs), pdu::TmfResponse::function_complete);
  bool applied = false;
  for (const Output& output : outputs) {
    if (const auto* tmf = std::get_if<TaskManagementApplied>(&output)) {
      applied = tmf->function == scsi::TaskManagement::target_warm_reset;
    }
  }
  EXPECT_TRUE(applied);
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  EXPECT_TRUE(pdus_of(h.complete(result(scsi::kStatusGood, Bytes(512, 0)))).empty());
  EXPECT_FALSE(h.engine->closed());
}

}  // namespace
}  // namespace iscsi::target::session::test
