// Execution and outputs: worker threads do not change a byte of junit.xml, report.json or the
// pcaps; three shards merged give the files of one unsharded run; merge errors name the file.
#include <gtest/gtest.h>

#include <mutex>

#include "reports/writers.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"

namespace iscsi::scenarios::batch {
namespace {

using testing::expect_same_outputs;
using testing::run_into;
using testing::slurp;
using testing::TempDir;

PlanOptions four_seeds() {
  PlanOptions options;
  options.seeds = SeedRange{1, 4};
  return options;
}

TEST(BatchOutputs, JobsDoNotChangeTheOutputs) {
  TempDir one("jobs1");
  TempDir two("jobs2");
  const Execution serial = run_into({testing::example_file()}, four_seeds(), 1, one.path());
  const Execution parallel = run_into({testing::example_file()}, four_seeds(), 2, two.path());
  ASSERT_EQ(serial.report.scenarios.size(), 4U);
  EXPECT_EQ(serial.report, parallel.report);
  EXPECT_EQ(parallel.timings.jobs, 2U);
  EXPECT_EQ(parallel.timings.scenarios.size(), 4U);
  expect_same_outputs(one.path(), two.path());
}

TEST(BatchOutputs, EveryRunHasItsPcap) {
  TempDir out("pcaps");
  const Execution run = run_into({testing::example_file()}, four_seeds(), 2, out.path());
  ASSERT_EQ(run.report.scenarios.size(), 4U);
  for (const reports::ScenarioReport& scenario : run.report.scenarios) {
    EXPECT_EQ(scenario.pcap,
              "pcap/chap-one-way-seed" + std::to_string(scenario.seed) + "-rfc.pcap");
    const std::string bytes = slurp(out.path() / scenario.pcap);
    // libpcap's magic number, as written on a little-endian host (microsecond or nanosecond).
    ASSERT_GE(bytes.size(), 24U) << scenario.pcap;
    EXPECT_TRUE(bytes.starts_with("\xd4\xc3\xb2\xa1") || bytes.starts_with("\x4d\x3c\xb2\xa1"))
        << scenario.pcap;
  }
  for (const char* name : {"junit.xml", "report.json", "report.html", "timings.json"}) {
    EXPECT_FALSE(slurp(out.path() / name).empty()) << name;
  }
}

TEST(BatchOutputs, ThreeShardsMergedEqualOneRun) {
  TempDir whole("whole");
  TempDir merged("merged");
  std::vector<std::unique_ptr<TempDir>> shards;
  std::vector<std::filesystem::path> shard_paths;
  run_into({testing::example_file()}, four_seeds(), 1, whole.path());
  for (unsigned k = 1; k <= 3; ++k) {
    shards.push_back(std::make_unique<TempDir>("shard"));
    PlanOptions options = four_seeds();
    options.shard = {k, 3};
    const Execution part = run_into({testing::example_file()}, options, 1, shards.back()->path());
    EXPECT_EQ(part.report.scenarios.size(), k == 1 ? 2U : 1U);
    shard_paths.push_back(shards.back()->path());
  }
  auto result = merge_shard_dirs(shard_paths, merged.path());
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->scenarios.size(), 4U);
  expect_same_outputs(whole.path(), merged.path());
  EXPECT_EQ(slurp(whole.path() / "report.html"), slurp(merged.path() / "report.html"));
  auto timings = reports::timings_from_json(slurp(merged.path() / "timings.json"), "timings.json");
  ASSERT_TRUE(timings.ok()) << timings.error().detail;
  EXPECT_EQ(timings->scenarios.size(), 4U);
}

TEST(BatchOutputs, MergeErrorsNameTheFile) {
  TempDir empty("merge-empty");
  TempDir out("merge-out");
  auto missing = merge_shard_dirs({empty.path()}, out.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().detail.find((empty.path() / "report.json").string()), std::string::npos)
      << missing.error().detail;
  testing::write_text(empty.path() / "report.json", "{not json");
  auto broken = merge_shard_dirs({empty.path()}, out.path());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().detail.find((empty.path() / "report.json").string()), std::string::npos)
      << broken.error().detail;
}

TEST(BatchOutputs, MergeRefusesTheSameRunTwice) {
  TempDir shard("merge-twice");
  TempDir out("merge-twice-out");
  PlanOptions options;
  options.seed = 2;
  run_into({testing::example_file()}, options, 1, shard.path());
  auto twice = merge_shard_dirs({shard.path(), shard.path()}, out.path());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().id(), reports::kMergeDuplicate.id) << twice.error().detail;
}

TEST(BatchOutputs, ProgressComesOncePerRunInCompletionOrder) {
  auto sources = collect_sources({testing::example_file()});
  ASSERT_TRUE(sources.ok());
  auto scenarios = load_sources(*sources);
  ASSERT_TRUE(scenarios.ok());
  auto plan = make_plan(std::move(scenarios).value(), four_seeds());
  ASSERT_TRUE(plan.ok());
  std::vector<std::string> lines;
  ExecuteOptions options;
  options.jobs = 2;
  options.capture_pcap = false;
  options.on_done = [&lines](const Progress& progress) {
    EXPECT_EQ(progress.done, lines.size() + 1);
    EXPECT_EQ(progress.total, 4U);
    lines.push_back(progress_line(progress));
  };
  const Execution run = execute_plan(*plan, options);
  ASSERT_EQ(lines.size(), 4U);
  // "[k/4] ..." counts in completion order; which run finishes k-th depends on the threads.
  std::vector<std::string> runs;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string prefix = "[" + std::to_string(k + 1) + "/4] ";
    EXPECT_TRUE(lines[k].starts_with(prefix)) << lines[k];
    runs.push_back(lines[k].substr(prefix.size()));
  }
  std::sort(runs.begin(), runs.end());
  EXPECT_EQ(runs, (std::vector<std::string>{
                      "chap-one-way seed 1 rfc PASS\n", "chap-one-way seed 2 rfc PASS\n",
                      "chap-one-way seed 3 rfc PASS\n", "chap-one-way seed 4 rfc PASS\n"}));
  for (const reports::ScenarioReport& scenario : run.report.scenarios) {
    EXPECT_TRUE(scenario.pcap.empty());  // no capture asked
  }
}

TEST(BatchOutputs, JobsResolve) {
  EXPECT_EQ(resolve_jobs(3), 3U);
  EXPECT_GE(resolve_jobs(0), 1U);
  EXPECT_EQ(resolve_jobs(100000), kMaxJobs);
}

}  // namespace
}  // namespace iscsi::scenarios::batch
