// Issue 6, Determinism: the built-in suite (or, when it is empty, scenarios/examples) run twice
// into two folders gives byte-identical pcaps, junit.xml and report.json.
#include <gtest/gtest.h>

#include "tests/scenarios/batch/batch_test_support.hpp"

namespace iscsi::scenarios::batch {
namespace {

TEST(BatchDeterminism, SuiteRunTwiceGivesIdenticalFiles) {
  testing::TempDir first("suite-a");
  testing::TempDir second("suite-b");
  const Execution a = testing::run_into(testing::suite_inputs(), {}, 1, first.path());
  const Execution b = testing::run_into(testing::suite_inputs(), {}, 1, second.path());
  ASSERT_FALSE(a.report.scenarios.empty());
  EXPECT_EQ(a.report, b.report);
  testing::expect_same_outputs(first.path(), second.path());
  // Every run of the suite left its capture.
  EXPECT_EQ(testing::pcap_names(first.path()).size(), a.report.scenarios.size());
}

}  // namespace
}  // namespace iscsi::scenarios::batch
