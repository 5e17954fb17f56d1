// A step whose expectation is not met fails with one exact sentence per unmet field, the run
// fails, and the later steps still run; a refused target configuration stops the run before
// any step.
#include <gtest/gtest.h>

#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::kChapWorld;
using testing::load_inline;

Scenario with_steps(std::string_view steps) {
  return load_inline(std::string("name: failing\n") + std::string(steps) + std::string(kChapWorld));
}

TEST(ScenarioRunnerFailures, WrongExitCodeAndOutput) {
  const RunResult result = run_scenario(with_steps(R"yaml(
steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
    expect:
      exit: 24
      stdout: "nothing"
      stderr_contains: "no such"
      discovered: [iqn.2019-01.com.example:other]
      session: logged_in
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
    expect: {exit: 0}
)yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.steps.size(), 2U) << describe(result);
  EXPECT_FALSE(result.steps[0].passed);
  EXPECT_EQ(result.steps[0].failures,
            (std::vector<std::string>{
                "expected exit 24, got 0",
                "expected stdout \"nothing\", got \"10.0.0.2:3260,1 iqn.2019-01.com.example:disk\"",
                "expected stderr to contain \"no such\", got \"\"",
                "expected discovered [iqn.2019-01.com.example:other], got "
                "[iqn.2019-01.com.example:disk]",
                "expected session logged_in, got absent"}));
  EXPECT_TRUE(result.steps[1].passed) << describe(result);
}

TEST(ScenarioRunnerFailures, LoginStatusDataAndViolations) {
  const RunResult result = run_scenario(with_steps(R"yaml(
steps:
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {login_status: 0x0000, violations: {required: [login.never-seen]}}
  - io: {lun: 1, write: {bytes: 64KiB}}
  - run: tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2019-01.com.example:x
    expect: {exit: 0}
)yaml"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.steps.size(), 3U);
  // The discovery was skipped, so the node record does not exist: no login was attempted.
  EXPECT_EQ(result.steps[0].failures,
            (std::vector<std::string>{"expected login_status 0x0000, got no Login Response",
                                      "expected violation login.never-seen, not seen"}));
  EXPECT_EQ(result.steps[1].failures, std::vector<std::string>{"io: no session"});
  ASSERT_EQ(result.steps[2].failures.size(), 1U);
  EXPECT_NE(result.steps[2].output.exit_code, 0);
  EXPECT_EQ(result.steps[2].failures[0],
            "expected exit 0, got " + std::to_string(result.steps[2].output.exit_code));
}

TEST(ScenarioRunnerFailures, RawPduNeedsASession) {
  const RunResult result = run_scenario(with_steps(R"yaml(
steps:
  - raw_pdu: {opcode: nop_out}
)yaml"));
  ASSERT_EQ(result.steps.size(), 1U);
  EXPECT_EQ(result.steps[0].failures, std::vector<std::string>{"raw_pdu: no session"});
}

TEST(ScenarioRunnerFailures, RefusedTargetLineStopsTheRun) {
  std::string world(kChapWorld);
  world.replace(world.find("--tid 1 --lun 1"), 15, "--tid 9 --lun 1");
  const RunResult result = run_scenario(load_inline(R"yaml(
name: refused
steps:
  - wait: 1s
)yaml" + world));
  EXPECT_FALSE(result.passed);
  EXPECT_TRUE(result.steps.empty());
  EXPECT_EQ(result.setup_error.rfind("inline.yaml:15:5: tgtadm line refused (exit ", 0), 0U)
      << result.setup_error;
}

}  // namespace
}  // namespace iscsi::scenarios
