// `iscsim run --target` end to end (docs/running.md, "Against a live target"): the built
// executable runs tutorial scenarios against `iscsim target` started on 127.0.0.1 with a free
// port and a control port of its own, with and without --target-admin, and refuses bad
// --target / --target-admin combinations with exit 2.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "reports/writers.hpp"
#include "tests/integration/target_process.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::scenarios::batch {
namespace {

using iscsi::test::CommandResult;
using testing::slurp;
using testing::TempDir;

const std::vector<std::string> kLiveInputs = {"builtin:tutorial-02-discovery.yaml",
                                              "builtin:tutorial-04-chap-oneway.yaml"};

CommandResult live_run(std::vector<std::string> args) {
  args.insert(args.begin(), {ISCSIM_BINARY, "run"});
  iscsi::test::CommandOptions options;
  options.timeout = std::chrono::minutes(5);
  return iscsi::test::run_command(args, options);
}

std::vector<std::string> live_args(const integration::TargetProcess& target, const TempDir& out) {
  std::vector<std::string> args = kLiveInputs;
  args.insert(args.end(), {"--target", "iscsi://" + target.portal(), "--out", out.path().string(),
                           "--quiet", "--profile", "rfc"});
  return args;
}

reports::RunReport read_live_report(const TempDir& out) {
  Result<reports::RunReport> report =
      reports::report_from_json(slurp(out.path() / "report.json"), "report.json");
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().detail);
  return report.ok() ? std::move(report).value() : reports::RunReport{};
}

std::size_t skipped_in(const reports::ScenarioReport& scenario) {
  std::size_t skipped = 0;
  for (const reports::StepReport& step : scenario.steps) skipped += step.skipped ? 1 : 0;
  return skipped;
}

TEST(IscsimRunLive, WithAdminCommandRunsEveryStepAndPasses) {
  integration::TargetProcess target;
  ASSERT_TRUE(target.started()) << target.output();
  const TempDir out("live-admin");
  std::vector<std::string> args = live_args(target, out);
  args.insert(args.end(), {"--target-admin", target.admin_command(), "--jobs", "2"});
  const CommandResult run = live_run(args);
  EXPECT_EQ(run.exit_code, 0) << iscsi::test::describe(run) << target.output();
  EXPECT_NE(run.err.find("--jobs 1"), std::string::npos) << run.err;
  const reports::RunReport report = read_live_report(out);
  ASSERT_EQ(report.scenarios.size(), 2U);
  for (const reports::ScenarioReport& scenario : report.scenarios) {
    EXPECT_EQ(scenario.target, "iscsi://" + target.portal());
    EXPECT_TRUE(scenario.passed) << scenario.name;
    EXPECT_TRUE(scenario.notes.empty()) << scenario.name;
    EXPECT_EQ(skipped_in(scenario), 0U) << scenario.name;
    EXPECT_NE(scenario.reproduce.find("--target iscsi://" + target.portal() + " --target-admin '"),
              std::string::npos)
        << scenario.reproduce;
  }
}

TEST(IscsimRunLive, WithoutAdminCommandSkipsTheTargetSetupWithNotes) {
  integration::TargetProcess target;
  ASSERT_TRUE(target.started()) << target.output();
  const TempDir out("live-no-admin");
  const CommandResult run = live_run(live_args(target, out));
  const reports::RunReport report = read_live_report(out);
  ASSERT_EQ(report.scenarios.size(), 2U) << iscsi::test::describe(run);
  // The target block's tgtadm lines never reach the unconfigured `iscsim target`: each
  // scenario names that in a note (these scenarios have no tgtadm step, so nothing is skipped),
  // and discovery finds no target, so the first step that needs one fails with iscsiadm's 21
  // (no records found) and the runner fails the scenario.
  for (const reports::ScenarioReport& scenario : report.scenarios) {
    EXPECT_FALSE(scenario.notes.empty()) << scenario.name;
    EXPECT_EQ(skipped_in(scenario), 0U) << scenario.name;
    EXPECT_FALSE(scenario.passed) << scenario.name;
    EXPECT_NE(reports::console_summary(report).find("expected exit 0, got 21"), std::string::npos);
  }
  EXPECT_EQ(run.exit_code, 1) << iscsi::test::describe(run);
  const std::string junit = slurp(out.path() / "junit.xml");
  EXPECT_NE(junit.find("<property name=\"note\""), std::string::npos);
}

TEST(IscsimRunLive, UsageErrorsExitTwo) {
  const TempDir out("live-usage");
  const std::string dir = out.path().string();
  const CommandResult admin_alone =
      live_run({kLiveInputs.front(), "--target-admin", "cat", "--out", dir});
  EXPECT_EQ(admin_alone.exit_code, 2) << iscsi::test::describe(admin_alone);
  EXPECT_NE(admin_alone.err.find("--target-admin needs --target"), std::string::npos);
  const CommandResult http = live_run({kLiveInputs.front(), "--target", "http://x", "--out", dir});
  EXPECT_EQ(http.exit_code, 2) << iscsi::test::describe(http);
  const CommandResult remote =
      live_run({kLiveInputs.front(), "--target", "iscsi://10.0.0.1", "--out", dir});
  EXPECT_EQ(remote.exit_code, 2) << iscsi::test::describe(remote);
  EXPECT_NE(remote.err.find("127.0.0.0/8"), std::string::npos) << remote.err;
  EXPECT_FALSE(std::filesystem::exists(out.path() / "report.json"));
}

}  // namespace
}  // namespace iscsi::scenarios::batch
