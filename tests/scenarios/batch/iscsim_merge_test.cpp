// `iscsim report merge` end to end: two shards of `iscsim run` merged equal one run; errors
// name the file and exit 2; a failed run in a shard makes the merge exit 1.
#include <gtest/gtest.h>

#include "tests/scenarios/batch/batch_test_support.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::scenarios::batch {
namespace {

using iscsi::test::CommandResult;
using testing::TempDir;

CommandResult iscsim_cli(std::vector<std::string> args) {
  args.insert(args.begin(), ISCSIM_BINARY);
  iscsi::test::CommandOptions options;
  options.timeout = std::chrono::minutes(5);
  return iscsi::test::run_command(args, options);
}

TEST(IscsimReportMerge, TwoShardsEqualOneRun) {
  TempDir dir("cli-merge");
  const std::string file = testing::example_file();
  for (const auto& [shard, out] : std::vector<std::pair<std::string, std::string>>{
           {"1/2", dir / "s1"}, {"2/2", dir / "s2"}, {"", dir / "whole"}}) {
    std::vector<std::string> args = {"run", file, "--seeds", "1..3", "-q", "--out", out};
    if (!shard.empty()) args.insert(args.end(), {"--shard", shard});
    const CommandResult r = iscsim_cli(args);
    ASSERT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  }
  const CommandResult merged =
      iscsim_cli({"report", "merge", "--out", dir / "merged", dir / "s1", dir / "s2"});
  ASSERT_EQ(merged.exit_code, 0) << iscsi::test::describe(merged);
  EXPECT_NE(merged.out.find("chap-one-way"), std::string::npos) << merged.out;
  testing::expect_same_outputs(dir.path() / "whole", dir.path() / "merged");
  EXPECT_EQ(testing::pcap_names(dir.path() / "merged").size(), 3U);
}

TEST(IscsimReportMerge, ErrorsNameTheFileAndExitTwo) {
  TempDir dir("cli-merge-err");
  std::filesystem::create_directories(dir.path() / "empty");
  const CommandResult r = iscsim_cli({"report", "merge", "--out", dir / "m", dir / "empty"});
  EXPECT_EQ(r.exit_code, 2) << iscsi::test::describe(r);
  EXPECT_TRUE(
      r.err.starts_with("iscsim report merge: " + (dir.path() / "empty" / "report.json").string()))
      << r.err;
  const CommandResult no_shard = iscsim_cli({"report", "merge", "--out", dir / "m"});
  EXPECT_NE(no_shard.exit_code, 0);
}

}  // namespace
}  // namespace iscsi::scenarios::batch
