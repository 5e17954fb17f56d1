// The tutorial's one-way CHAP section run step by step in the simulator: discovery, a login
// without credentials refused (exit 24, 0x0201 on the wire), iscsid.conf edited, re-discovery,
// a login that succeeds, a pattern written and verified, and a clean logout.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::kChapWorld;
using testing::load_inline;

constexpr std::string_view kChapSteps = R"yaml(
name: chap-one-way
seed: 3
steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
    expect:
      exit: 0
      stdout: "10.0.0.2:3260,1 iqn.2019-01.com.example:disk"
      discovered: [iqn.2019-01.com.example:disk]
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect:
      exit: 24
      login_status: 0x0201
      stderr_contains: "initiator reported error (24 - iSCSI login failed due to authorization failure)"
  - iscsid.conf:
      node.session.auth.authmethod: CHAP
      node.session.auth.username: alice
      node.session.auth.password: secret123456
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
    expect: {exit: 0}
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0, login_status: 0x0000, session: logged_in}
  - io: {lun: 1, block: 128KiB, write: {offset: 0, bytes: 1MiB}, verify: {offset: 0, bytes: 1MiB}}
    expect: {data_verified: true, violations: none}
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -u
    expect: {exit: 0, violations: none, session: absent}
)yaml";

TEST(ScenarioRunner, TutorialChapOneWayPasses) {
  const Scenario scenario = load_inline(std::string(kChapSteps) + std::string(kChapWorld));
  const RunResult result = run_scenario(scenario);
  EXPECT_TRUE(result.passed) << describe(result);
  EXPECT_EQ(result.scenario, "chap-one-way");
  EXPECT_EQ(result.seed, 3U);
  EXPECT_EQ(result.profile, Profile::rfc);
  ASSERT_EQ(result.steps.size(), 7U);
  // What the checks were made from, read directly.
  EXPECT_EQ(result.steps[1].output.exit_code, 24);
  EXPECT_EQ(result.steps[1].output.login_status, std::uint16_t{0x0201});
  EXPECT_EQ(result.steps[2].kind, "iscsid.conf");
  EXPECT_TRUE(result.steps[4].output.session_logged_in);
  EXPECT_FALSE(result.steps[6].output.session_logged_in);
  // Steps follow one another in virtual time and cover consecutive PDU ranges.
  for (std::size_t i = 0; i < result.steps.size(); ++i) {
    const StepResult& step = result.steps[i];
    EXPECT_EQ(step.index, i + 1);
    EXPECT_LE(step.start, step.end);
    EXPECT_LE(step.first_pdu, step.end_pdu);
    if (i > 0) {
      EXPECT_EQ(step.first_pdu, result.steps[i - 1].end_pdu);
    }
  }
  EXPECT_GT(result.steps[1].end, result.steps[1].start);
  EXPECT_EQ(result.steps[2].first_pdu, result.steps[2].end_pdu);       // a file edit sends nothing
  EXPECT_GT(result.steps[5].end_pdu - result.steps[5].first_pdu, 8U);  // 1 MiB in 128 KiB
  EXPECT_EQ(result.steps.back().end_pdu, result.pdus.size());
}

TEST(ScenarioRunner, RecordedPdusAreTheInitiatorsWireBytes) {
  const Scenario scenario = load_inline(std::string(kChapSteps) + std::string(kChapWorld));
  const RunResult result = run_scenario(scenario);
  ASSERT_FALSE(result.pdus.empty());
  // The first PDU of the first login: a Login Request (0x43 with the I bit) to the portal.
  const StepResult& login = result.steps[1];
  ASSERT_LT(login.first_pdu, login.end_pdu);
  const PduRecord& first = result.pdus[login.first_pdu];
  EXPECT_EQ(first.direction, runtime::Direction::initiator_to_target);
  ASSERT_GE(first.wire.size(), 48U);
  EXPECT_EQ(first.wire[0] & 0x3f, 0x03);
  EXPECT_EQ(first.connection.target.to_string(), "10.0.0.2:3260");
  EXPECT_EQ(first.connection.initiator.ipv4, 0x0a000001U);
  for (std::size_t i = 1; i < result.pdus.size(); ++i) {
    EXPECT_LE(result.pdus[i - 1].at, result.pdus[i].at);
  }
}

}  // namespace
}  // namespace iscsi::scenarios

namespace iscsi::scenarios {
namespace {

// The shipped example (scenarios/examples/) runs as written and every step passes.
TEST(ScenarioRunner, ShippedTutorialExamplePasses) {
  std::ifstream in(ISCSI_SOURCE_DIR "/scenarios/examples/tutorial-chap-oneway.yaml",
                   std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Result<Scenario> loaded = load_scenario(text.str(), "tutorial-chap-oneway.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  const RunResult result = run_scenario(*loaded);
  EXPECT_TRUE(result.passed) << testing::describe(result);
  EXPECT_EQ(result.steps.size(), loaded->steps.size());
}

}  // namespace
}  // namespace iscsi::scenarios
