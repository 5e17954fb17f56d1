// Merging shard reports (reports/writers.hpp, merge): N shards merged equal the unsplit run.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

// Deals the scenarios of `report` round-robin into `count` shards, as --shard K/N might.
std::vector<RunReport> split(const RunReport& report, std::size_t count) {
  std::vector<RunReport> shards(count);
  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    shards[(i * 7 + 3) % count].scenarios.push_back(report.scenarios[i]);
  }
  return shards;
}

TEST(ReportMerge, ShardsMergedEqualTheUnsplitRun) {
  const RunReport whole = test::sample_run();
  for (std::size_t count = 1; count <= 5; ++count) {
    std::vector<RunReport> shards = split(whole, count);
    // Each shard is written and read back, as `iscsim report merge` does with its files.
    std::vector<RunReport> read_back;
    std::vector<std::string> names;
    for (std::size_t k = 0; k < count; ++k) {
      names.push_back("shard-" + std::to_string(k + 1) + "/report.json");
      Result<RunReport> read = report_from_json(to_json(shards[k]), names.back());
      ASSERT_TRUE(read.ok()) << read.error().detail;
      read_back.push_back(*read);
    }
    Result<RunReport> merged = merge(read_back, names);
    ASSERT_TRUE(merged.ok()) << merged.error().detail;
    EXPECT_EQ(to_json(*merged), to_json(whole)) << count << " shards";
    EXPECT_EQ(to_junit_xml(*merged), to_junit_xml(whole));
    EXPECT_EQ(to_html(*merged), to_html(whole));
  }
}

TEST(ReportMerge, OrderOfShardsDoesNotMatter) {
  const RunReport whole = test::sample_run();
  std::vector<RunReport> shards = split(whole, 3);
  std::swap(shards[0], shards[2]);
  Result<RunReport> merged = merge(shards, {"a", "b", "c"});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, whole);
}

TEST(ReportMerge, NothingToMergeIsAnEmptyReport) {
  Result<RunReport> merged = merge({}, {});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, RunReport{});
}

TEST(ReportMerge, RefusesTheSameRunInTwoShardsNamingBoth) {
  RunReport one{{test::passing_scenario(), test::failing_scenario()}};
  RunReport two{{test::setup_error_scenario(), test::failing_scenario()}};
  Result<RunReport> merged = merge({one, two}, {"shard-1/report.json", "shard-2/report.json"});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().id(), "report.merge-duplicate");
  EXPECT_EQ(merged.error().detail,
            "scenario chap-wrong seed=7 profile=tgt is in both shard-1/report.json and "
            "shard-2/report.json");
}

TEST(ReportMerge, RefusesTheSameRunTwiceInOneShard) {
  RunReport one{{test::failing_scenario(), test::failing_scenario()}};
  Result<RunReport> merged = merge({one}, {"only.json"});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().detail, "scenario chap-wrong seed=7 profile=tgt is twice in only.json");
}

TEST(ReportMerge, SameScenarioWithAnotherSeedOrProfileIsNoDuplicate) {
  ScenarioReport other_seed = test::failing_scenario();
  other_seed.seed = 8;
  ScenarioReport other_profile = test::failing_scenario();
  other_profile.profile = "rfc";
  Result<RunReport> merged = merge(
      {RunReport{{test::failing_scenario()}}, RunReport{{other_seed, other_profile}}}, {"a", "b"});
  ASSERT_TRUE(merged.ok());
  ASSERT_EQ(merged->scenarios.size(), 3u);
  EXPECT_EQ(merged->scenarios[0].profile, "rfc");
  EXPECT_EQ(merged->scenarios[1].seed, 7u);
  EXPECT_EQ(merged->scenarios[2].seed, 8u);
}

TEST(ReportMerge, UnnamedShardsAreNumbered) {
  RunReport one{{test::failing_scenario()}};
  Result<RunReport> merged = merge({one, one}, {});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.error().detail,
            "scenario chap-wrong seed=7 profile=tgt is in both shard 1 and shard 2");
}

TEST(TimingsMerge, SumsAndSortsTheShards) {
  Timings a;
  a.wall_seconds = 1.5;
  a.jobs = 2;
  a.scenarios = {{"z", 1, "rfc", 0.5}, {"b", 2, "rfc", 0.25}};
  Timings b;
  b.wall_seconds = 0.5;
  b.jobs = 1;
  b.scenarios = {{"b", 1, "tgt", 0.125}};
  const Timings merged = merge(std::vector<Timings>{a, b});
  EXPECT_EQ(merged.wall_seconds, 2.0);
  EXPECT_EQ(merged.jobs, 3u);
  const std::vector<ScenarioTiming> expected = {
      {"b", 1, "tgt", 0.125}, {"b", 2, "rfc", 0.25}, {"z", 1, "rfc", 0.5}};
  EXPECT_EQ(merged.scenarios, expected);
  EXPECT_EQ(merge(std::vector<Timings>{b, a}), merged);
}

TEST(TimingsMerge, NoShardsIsAnEmptyTimingsOfOneJob) {
  EXPECT_EQ(merge(std::vector<Timings>{}), Timings{});
}

}  // namespace
}  // namespace iscsi::reports
