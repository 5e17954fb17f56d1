// Markup and console escaping, and the shared wording (reports/escape.hpp, wording.hpp).
#include "reports/escape.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "reports/wording.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

TEST(ReportEscape, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(escape_markup("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(escape_markup("]]>"), "]]&gt;");
}

TEST(ReportEscape, KeepsWhitespaceInTextAndEscapesItInAttributes) {
  EXPECT_EQ(escape_markup("a\tb\nc\rd", MarkupContext::text), "a\tb\nc&#13;d");
  EXPECT_EQ(escape_markup("a\tb\nc\rd", MarkupContext::attribute), "a&#9;b&#10;c&#13;d");
}

TEST(ReportEscape, ShowsForbiddenControlCharactersAsHex) {
  EXPECT_EQ(escape_markup(std::string("nul\0bel\x07"
                                      "esc\x1b",
                                      12)),
            "nul\\x00bel\\x07esc\\x1b");
  // U+FFFE and U+FFFF are not XML characters either.
  EXPECT_EQ(escape_markup("\xef\xbf\xbe\xef\xbf\xbf"), "\\xef\\xbf\\xbe\\xef\\xbf\\xbf");
}

TEST(ReportEscape, ReplacesBytesThatAreNotUtf8) {
  const std::string replacement = "\xef\xbf\xbd";
  EXPECT_EQ(escape_markup("a\xff"
                          "b"),
            "a" + replacement + "b");
  // A truncated sequence, an overlong form, a surrogate: each stray byte becomes U+FFFD.
  EXPECT_EQ(escape_markup("\xc3"), replacement);
  EXPECT_EQ(escape_markup("\xc0\xaf"), replacement + replacement);
  EXPECT_EQ(escape_markup("\xed\xa0\x80"), replacement + replacement + replacement);
  EXPECT_EQ(escape_markup("\xf4\x90\x80\x80"),
            replacement + replacement + replacement + replacement);
}

TEST(ReportEscape, KeepsWellFormedNonAsciiText) {
  EXPECT_EQ(escape_markup("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(ReportEscape, OneLineEscapesEveryControlCharacter) {
  EXPECT_EQ(one_line("a\nb\tc\x7f"
                     "d <&>"),
            "a\\x0ab\\x09c\\x7fd <&>");
  EXPECT_EQ(one_line("\xff"), "\xef\xbf\xbd");
}

TEST(ReportEscape, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("\xc3\xa9t\xc3\xa9"), 3u);
  EXPECT_EQ(display_width("\xff\xfe"), 2u);
}

TEST(ReportWording, FormatsVirtualTimeExactly) {
  EXPECT_EQ(format_seconds(0), "0.000");
  EXPECT_EQ(format_seconds(1'234'000), "0.001234");
  EXPECT_EQ(format_seconds(2'000'000'000), "2.000");
  EXPECT_EQ(format_seconds(1'500), "0.0000015");
  EXPECT_EQ(format_seconds(61'100'000'000), "61.100");
  EXPECT_EQ(format_seconds(-1'500'000), "-0.0015");
  EXPECT_EQ(format_seconds(std::numeric_limits<std::int64_t>::min()), "-9223372036.854775808");
  EXPECT_EQ(format_seconds(std::numeric_limits<std::int64_t>::max()), "9223372036.854775807");
}

TEST(ReportWording, SaturatesTimeArithmetic) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  constexpr auto min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(saturating_add(max, 1), max);
  EXPECT_EQ(saturating_add(min, -1), min);
  EXPECT_EQ(saturating_add(3, 4), 7);
  EXPECT_EQ(saturating_sub(min, 1), min);
  EXPECT_EQ(saturating_sub(max, -1), max);
  EXPECT_EQ(saturating_sub(10, 4), 6);
}

TEST(ReportWording, NamesTheFirstFailure) {
  EXPECT_EQ(first_failure(test::passing_scenario()), "");
  EXPECT_EQ(first_failure(test::failing_scenario()), "step 2: expected exit 24, got 0");
  EXPECT_EQ(first_failure(test::setup_error_scenario()),
            "setup: tgtadm line 2 refused: can't find the target");
  ScenarioReport bare = test::passing_scenario();
  bare.passed = false;
  EXPECT_EQ(first_failure(bare), kUnexplainedFailure);
  ScenarioReport silent = test::failing_scenario();
  silent.steps[1].failures.clear();
  EXPECT_EQ(first_failure(silent), "step 2: step failed");
}

TEST(ReportWording, DescribesTheDecidingPdu) {
  const ScenarioReport scenario = test::failing_scenario();
  EXPECT_EQ(decided_by(scenario, scenario.steps[1]),
            "decided by PDU #2 at 0.001001234s: target -> client Login Response: status 0x0201");
  EXPECT_EQ(decided_by(scenario, scenario.steps[0]), "");
  StepReport outside = scenario.steps[1];
  outside.deciding_pdu = 2;  // one past the scenario's PDUs
  EXPECT_EQ(decided_by(scenario, outside), "");
}

TEST(ReportWording, CountsScenariosInTheTotalsLine) {
  EXPECT_EQ(totals_line(RunReport{}), "0 scenarios: 0 passed, 0 failed");
  EXPECT_EQ(totals_line(RunReport{{test::passing_scenario()}}), "1 scenario: 1 passed, 0 failed");
  EXPECT_EQ(totals_line(test::sample_run()), "4 scenarios: 1 passed, 3 failed");
}

}  // namespace
}  // namespace iscsi::reports
