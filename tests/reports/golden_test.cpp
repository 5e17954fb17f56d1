// Byte-for-byte stability of every output (docs/reports.md, Determinism). The sample run's
// outputs are compared with golden files under tests/reports/golden/, which change only
// through the explicit update flag (DESIGN.md, style rule 8):
//   ISCSI_UPDATE_GOLDEN=1 ./test_reports --gtest_filter='ReportGolden.*'
// rewrites them; review the diff before committing it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(ISCSI_SOURCE_DIR) + "/tests/reports/golden/" + name;
}

bool updating_golden() {
  const char* flag = std::getenv("ISCSI_UPDATE_GOLDEN");
  return flag != nullptr && std::string(flag) == "1";
}

void expect_golden(const std::string& name, const std::string& actual) {
  if (updating_golden()) {
    std::ofstream(golden_path(name), std::ios::binary) << actual;
    std::printf("updated %s\n", golden_path(name).c_str());
  }
  std::ifstream in(golden_path(name), std::ios::binary);
  ASSERT_TRUE(in) << "missing " << golden_path(name) << " (ISCSI_UPDATE_GOLDEN=1 writes it)";
  const std::string expected{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_TRUE(actual == expected)
      << name << " differs from its golden file; if the change is "
      << "intended, rerun with ISCSI_UPDATE_GOLDEN=1 and review the diff";
}

TEST(ReportGolden, SampleRunOutputsMatchTheirGoldenFiles) {
  const RunReport report = test::sample_run();
  expect_golden("junit.xml", to_junit_xml(report));
  expect_golden("report.json", to_json(report));
  expect_golden("report.html", to_html(report));
  expect_golden("console.txt", console_summary(report));
  expect_golden("timings.json", to_json(test::sample_timings()));
}

TEST(ReportGolden, OutputsDoNotDependOnTheOrderScenariosFinishedIn) {
  const RunReport sorted = test::sample_run();
  RunReport finished = sorted;  // as --jobs 4 might deliver them
  std::reverse(finished.scenarios.begin(), finished.scenarios.end());
  std::rotate(finished.scenarios.begin(), finished.scenarios.begin() + 1, finished.scenarios.end());
  ASSERT_NE(finished, sorted);
  sort_scenarios(finished);
  EXPECT_EQ(to_junit_xml(finished), to_junit_xml(sorted));
  EXPECT_EQ(to_json(finished), to_json(sorted));
  EXPECT_EQ(to_html(finished), to_html(sorted));
  EXPECT_EQ(console_summary(finished), console_summary(sorted));
}

TEST(ReportGolden, WritingTwiceGivesTheSameBytes) {
  const RunReport first = test::sample_run();
  const RunReport second = test::sample_run();
  EXPECT_EQ(to_junit_xml(first), to_junit_xml(second));
  EXPECT_EQ(to_json(first), to_json(second));
  EXPECT_EQ(to_html(first), to_html(second));
  EXPECT_EQ(console_summary(first), console_summary(second));
  EXPECT_EQ(to_json(test::sample_timings()), to_json(test::sample_timings()));
}

}  // namespace
}  // namespace iscsi::reports
