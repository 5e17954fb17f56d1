// RunReport's counts and sort_scenarios (reports/model.hpp).
#include "reports/model.hpp"

#include <gtest/gtest.h>

#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

ScenarioReport named(const char* name, std::uint64_t seed, const char* profile, bool passed) {
  ScenarioReport scenario;
  scenario.name = name;
  scenario.seed = seed;
  scenario.profile = profile;
  scenario.passed = passed;
  return scenario;
}

TEST(ReportModel, CountsPassedAndFailedScenarios) {
  RunReport report;
  EXPECT_EQ(report.passed_count(), 0u);
  EXPECT_EQ(report.failed_count(), 0u);
  report.scenarios = {named("a", 1, "rfc", true), named("b", 1, "rfc", false),
                      named("c", 1, "rfc", false)};
  EXPECT_EQ(report.passed_count(), 1u);
  EXPECT_EQ(report.failed_count(), 2u);
}

TEST(ReportModel, SortsByNameThenSeedThenProfile) {
  RunReport report;
  report.scenarios = {named("b", 1, "rfc", true), named("a", 10, "rfc", true),
                      named("a", 2, "tgt", true), named("a", 2, "rfc", true)};
  sort_scenarios(report);
  ASSERT_EQ(report.scenarios.size(), 4u);
  EXPECT_EQ(report.scenarios[0], named("a", 2, "rfc", true));
  EXPECT_EQ(report.scenarios[1], named("a", 2, "tgt", true));
  // Seeds compare as numbers, not as text: 2 before 10.
  EXPECT_EQ(report.scenarios[2], named("a", 10, "rfc", true));
  EXPECT_EQ(report.scenarios[3], named("b", 1, "rfc", true));
}

TEST(ReportModel, SortKeepsTheGivenOrderOfEqualKeys) {
  RunReport report;
  report.scenarios = {named("a", 1, "rfc", false), named("a", 1, "rfc", true)};
  sort_scenarios(report);
  EXPECT_FALSE(report.scenarios[0].passed);
  EXPECT_TRUE(report.scenarios[1].passed);
}

TEST(ReportModel, SampleRunIsSortedByName) {
  const RunReport report = test::sample_run();
  ASSERT_EQ(report.scenarios.size(), 4u);
  EXPECT_EQ(report.scenarios[0].name, "broken-target");
  EXPECT_EQ(report.scenarios[1].name, "chap-wrong");
  EXPECT_EQ(report.scenarios[2].name, "discovery");
  EXPECT_EQ(report.scenarios[3].name, "quotes <&> \"'");
}

}  // namespace
}  // namespace iscsi::reports
