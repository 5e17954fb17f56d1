// Same scenario and seed: the same RunResult, field for field (verdicts, outputs, virtual
// times, every recorded PDU); another seed moves the jittered times.
#include <gtest/gtest.h>

#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::kChapWorld;
using testing::load_inline;

RunOptions seed_options(std::uint64_t seed) {
  RunOptions options;
  options.seed = seed;
  return options;
}

constexpr std::string_view kSteps = R"yaml(
name: determinism
seed: 11
steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 24}
  - iscsid.conf:
      node.session.auth.authmethod: CHAP
      node.session.auth.username: alice
      node.session.auth.password: secret123456
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
  - io: {lun: 1, queue_depth: 8, block: 32KiB, write: {bytes: 512KiB}, verify: {bytes: 512KiB}}
    expect: {data_verified: true}
  - logout: all
    expect: {session: absent}
)yaml";

TEST(ScenarioRunnerDeterminism, SameSeedSameResult) {
  const Scenario scenario = load_inline(std::string(kSteps) + std::string(kChapWorld));
  const RunResult first = run_scenario(scenario);
  const RunResult second = run_scenario(scenario);
  EXPECT_TRUE(first.passed) << describe(first);
  EXPECT_GT(first.pdus.size(), 20U);
  EXPECT_TRUE(first == second);
}

TEST(ScenarioRunnerDeterminism, SeedOverrideChangesTheTimes) {
  const Scenario scenario = load_inline(std::string(kSteps) + std::string(kChapWorld));
  const RunResult base = run_scenario(scenario);
  const RunResult other = run_scenario(scenario, seed_options(12));
  EXPECT_EQ(base.seed, 11U);
  EXPECT_EQ(other.seed, 12U);
  EXPECT_TRUE(other.passed) << describe(other);
  ASSERT_EQ(base.steps.size(), other.steps.size());
  // The verdicts agree; the jittered arrival times do not.
  bool times_differ = false;
  for (std::size_t i = 0; i < base.steps.size(); ++i) {
    EXPECT_EQ(base.steps[i].passed, other.steps[i].passed);
    times_differ = times_differ || base.steps[i].end != other.steps[i].end;
  }
  EXPECT_TRUE(times_differ);
}

}  // namespace
}  // namespace iscsi::scenarios
