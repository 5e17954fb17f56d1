// teardown_lines (scenarios/batch/live_teardown.hpp): the lines that undo what a scenario's
// target block and tgtadm steps created on a live target, so the next live run can create the same
// targets and accounts.
#include "scenarios/batch/live_teardown.hpp"

#include <gtest/gtest.h>

#include "scenarios/loader.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"

namespace iscsi::scenarios::batch {
namespace {

TEST(LiveTeardown, UndoesTargetsNewestFirstThenAccounts) {
  Result<Scenario> loaded =
      load_scenario(testing::slurp(testing::example_file()), "examples/chap.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  Scenario scenario = std::move(loaded).value();
  scenario.target.tgtadm.clear();
  const auto line = [&scenario](std::vector<std::string> words) {
    scenario.target.tgtadm.push_back(CommandLine{{}, std::move(words), {}});
  };
  line({"tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "1", "--targetname",
        "iqn.x"});
  line({"tgtadm", "--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "1", "--lun",
        "1"});
  line({"tgtadm", "-L", "iscsi", "-m", "account", "-o", "new", "--user", "aliyun"});
  line({"tgtadm", "-L", "iscsi", "-m", "account", "-o", "bind", "-t", "1", "--user", "aliyun"});
  // A target a step creates is undone too (tutorial-01 adds one after the block).
  Step step;
  step.action = RunStep{CommandLine{{},
                                    {"tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "new",
                                     "--tid", "2", "--targetname", "iqn.y"},
                                    {}}};
  scenario.steps.push_back(step);
  EXPECT_EQ(
      teardown_lines(scenario),
      (std::vector<std::string>{"tgtadm --lld iscsi --mode target --op delete --force --tid 2",
                                "tgtadm --lld iscsi --mode target --op delete --force --tid 1",
                                "tgtadm --lld iscsi --mode account --op delete --user aliyun"}));
  scenario.target.tgtadm.clear();
  scenario.steps.clear();
  EXPECT_TRUE(teardown_lines(scenario).empty());
}

}  // namespace
}  // namespace iscsi::scenarios::batch
