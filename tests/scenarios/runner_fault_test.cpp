// Faults armed by steps: a connection reset under a logged-in session (the initiator
// reinstates it and no written data is lost), a partition longer than the NOP timeout, and a
// reset triggered by a PDU.
#include <gtest/gtest.h>

#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::load_chap_world;

constexpr std::string_view kLoggedIn = R"yaml(steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0, session: logged_in}
  - io: {lun: 1, write: {bytes: 1MiB}}
)yaml";

TEST(ScenarioRunnerFaults, ResetReinstatesTheSession) {
  const RunResult result = run_scenario(load_chap_world("faults", std::string(kLoggedIn) + R"yaml(
  - fault: {kind: reset, between: [client, target]}
  - wait: 5s
    expect: {session: logged_in}
  - io: {lun: 1, verify: {bytes: 1MiB}}
    expect: {data_verified: true}
)yaml"));
  EXPECT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 6U);
  EXPECT_EQ(result.steps[3].kind, "fault");
  EXPECT_EQ(result.steps[4].end - result.steps[4].start, std::chrono::seconds(5));
  // After the reset the initiator logged in again: new Login PDUs in the wait step.
  bool login_again = false;
  for (std::size_t i = result.steps[4].first_pdu; i < result.steps[4].end_pdu; ++i) {
    login_again = login_again || (result.pdus[i].wire[0] & 0x3f) == 0x03;
  }
  EXPECT_TRUE(login_again);
}

TEST(ScenarioRunnerFaults, PartitionLongerThanTheNopTimeout) {
  const RunResult result = run_scenario(load_chap_world("faults", std::string(kLoggedIn) + R"yaml(
  - fault: {kind: partition, between: [client, target]}
  - wait: 40s
    expect: {violations: {required: [initiator-session.nop-out-timeout]}}
  - fault: {kind: heal, between: [client, target], after: 1s}
  - wait: 30s
    expect: {session: logged_in}
  - io: {lun: 1, verify: {bytes: 1MiB}}
    expect: {data_verified: true}
)yaml"));
  EXPECT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 8U);
  // Nothing crossed during the partition but a ping that never got an answer.
  ASSERT_LT(result.steps[4].first_pdu, result.steps[4].end_pdu);
  for (std::size_t i = result.steps[4].first_pdu; i < result.steps[4].end_pdu; ++i) {
    EXPECT_EQ(result.pdus[i].direction, runtime::Direction::initiator_to_target);
    EXPECT_EQ(result.pdus[i].wire[0] & 0x3f, 0x00);  // NOP-Out
  }
  // Once healed, the initiator logged in again.
  ASSERT_LT(result.steps[6].first_pdu, result.steps[6].end_pdu);
  EXPECT_EQ(result.pdus[result.steps[6].first_pdu].wire[0] & 0x3f, 0x03);
}

TEST(ScenarioRunnerFaults, ResetAfterTheLoginResponse) {
  const RunResult result = run_scenario(load_chap_world("faults", R"yaml(steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - fault: {kind: reset, pdu: {sender: target, opcode: 0x23}}
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {session: absent}
)yaml"));
  EXPECT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_NE(result.steps[2].output.exit_code, 0);
}

}  // namespace
}  // namespace iscsi::scenarios
