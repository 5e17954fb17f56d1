// The console summary of `iscsim run` (reports/writers.hpp, console_summary).
#include <gtest/gtest.h>

#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

TEST(ConsoleSummary, EmptyRunIsOnlyTheTotals) {
  EXPECT_EQ(console_summary(RunReport{}), "0 scenarios: 0 passed, 0 failed\n");
}

TEST(ConsoleSummary, AlignsRowsAndExplainsEachFailure) {
  RunReport report{
      {test::passing_scenario(), test::failing_scenario(), test::setup_error_scenario()}};
  sort_scenarios(report);
  EXPECT_EQ(console_summary(report),
            "scenario       seed  profile  verdict  steps  virtual time\n"
            "broken-target  3     rfc      FAIL     0/0    0.000s\n"
            "    setup: tgtadm line 2 refused: can't find the target\n"
            "    reproduce: iscsim run broken.yaml --seed 3 --profile rfc\n"
            "chap-wrong     7     tgt      FAIL     1/2    0.001234s\n"
            "    step 2: expected exit 24, got 0\n"
            "    reproduce: iscsim run scenarios/builtin/chap-wrong.yaml --seed 7 --profile tgt\n"
            "discovery      1     rfc      PASS     2/2    1.002s\n"
            "\n"
            "3 scenarios: 1 passed, 2 failed\n");
}

TEST(ConsoleSummary, KeepsEachRowOnOneLine) {
  const std::string text = console_summary(RunReport{{test::special_characters_scenario()}});
  EXPECT_EQ(
      text,
      "scenario       seed                  profile  verdict  steps  virtual time\n"
      "quotes <&> \"'  18446744073709551615  rfc      FAIL     0/1    0.00000001s\n"
      "    step 1: expected \"a<b\" & 'c', got \\x01\\x1b[31mred\\x1b[0m\n"
      "    reproduce: iscsim run 'odd & file.yaml' --seed 18446744073709551615 --profile rfc\n"
      "\n"
      "1 scenario: 0 passed, 1 failed\n");
}

TEST(ConsoleSummary, AlignsNonAsciiNamesByCharacters) {
  ScenarioReport scenario = test::passing_scenario();
  scenario.name =
      "d\xc3\xa9"
      "couverte";  // 10 characters, 11 bytes
  const std::string text = console_summary(RunReport{{scenario}});
  EXPECT_EQ(text.substr(0, text.find('\n', text.find('\n') + 1) + 1),
            "scenario    seed  profile  verdict  steps  virtual time\n"
            "d\xc3\xa9"
            "couverte  1     rfc      PASS     2/2    1.002s\n");
}

TEST(ConsoleSummary, CountsSkippedStepsAndShowsRunNotes) {
  const std::string summary = console_summary(RunReport{{test::live_scenario()}});
  EXPECT_EQ(summary,
            "scenario     seed  profile  verdict  steps            virtual time\n"
            "tgtadm-live  1     tgt      PASS     2/2 (1 skipped)  1.002s\n"
            "    note: the target block's 3 tgtadm lines were not run: no admin command\n"
            "\n"
            "1 scenario: 1 passed, 0 failed\n");
}

}  // namespace
}  // namespace iscsi::reports
