// junit.xml (reports/writers.hpp, to_junit_xml): structure, counts, failure text, escaping,
// and well-formedness checked by the independent checker of xml_check.hpp.
#include <gtest/gtest.h>

#include <string>

#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"
#include "tests/reports/xml_check.hpp"

namespace iscsi::reports {
namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

TEST(JunitWriter, EmptyReportIsAnEmptyTestsuites) {
  EXPECT_EQ(to_junit_xml(RunReport{}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"iscsim\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">\n"
            "</testsuites>\n");
}

TEST(JunitWriter, PassingScenarioIsOneSuiteWithATestcasePerStep) {
  const std::string xml = to_junit_xml(RunReport{{test::passing_scenario()}});
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"iscsim\" tests=\"2\" failures=\"0\" errors=\"0\" time=\"1.002\">\n"
            "  <testsuite name=\"discovery seed=1 profile=rfc\" tests=\"2\" failures=\"0\" "
            "errors=\"0\" skipped=\"0\" time=\"1.002\">\n"
            "    <properties>\n"
            "      <property name=\"file\" value=\"builtin:discovery.yaml\"/>\n"
            "      <property name=\"seed\" value=\"1\"/>\n"
            "      <property name=\"profile\" value=\"rfc\"/>\n"
            "      <property name=\"pcap\" value=\"pcap/discovery-seed1.pcap\"/>\n"
            "      <property name=\"reproduce\" value=\"iscsim run builtin:discovery.yaml --seed 1 "
            "--profile rfc\"/>\n"
            "    </properties>\n"
            "    <testcase classname=\"discovery\" name=\"step 1: iscsiadm -m discovery -t st -p "
            "10.0.0.1\" time=\"0.002\" file=\"tutorial.yaml:21:5\">\n"
            "      <system-out>10.0.0.1:3260,1 iqn.2001-04.com.example:storage.disk1\n"
            "</system-out>\n"
            "    </testcase>\n"
            "    <testcase classname=\"discovery\" name=\"step 2: wait 1s\" time=\"1.000\" "
            "file=\"tutorial.yaml:22:5\"/>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
  EXPECT_EQ(test::xml_problem(xml), "");
}

TEST(JunitWriter, FailingStepSaysEverySentenceThePduAndTheReproduceCommand) {
  const std::string xml = to_junit_xml(RunReport{{test::failing_scenario()}});
  EXPECT_NE(xml.find("<testsuites name=\"iscsim\" tests=\"2\" failures=\"1\""), std::string::npos);
  EXPECT_NE(
      xml.find("<testsuite name=\"chap-wrong seed=7 profile=tgt\" tests=\"2\" failures=\"1\""),
      std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"chap-wrong\" name=\"step 2: iscsiadm -m node -T iqn.x "
                     "-p 10.0.0.1 -l\" time=\"0.000734\""),
            std::string::npos);
  EXPECT_NE(
      xml.find("      <failure message=\"expected exit 24, got 0\" type=\"failure\">"
               "expected exit 24, got 0\n"
               "expected login status 0x0201, got 0x0000\n"
               "decided by PDU #2 at 0.001001234s: target -&gt; client Login Response: "
               "status 0x0201\n"
               "reproduce: iscsim run scenarios/builtin/chap-wrong.yaml --seed 7 --profile tgt\n"
               "</failure>\n"
               "      <system-out>Logging in to [iface: default, target: iqn.x, portal: "
               "10.0.0.1,3260]\n</system-out>\n"
               "      <system-err>iscsiadm: Login failed\n</system-err>\n"),
      std::string::npos);
  EXPECT_EQ(count_of(xml, "<failure "), 1u);
  EXPECT_EQ(test::xml_problem(xml), "");
}

TEST(JunitWriter, SetupErrorIsOneFailingTestcaseNamedSetup) {
  const std::string xml = to_junit_xml(RunReport{{test::setup_error_scenario()}});
  EXPECT_NE(xml.find("<testsuites name=\"iscsim\" tests=\"1\" failures=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("    <testcase classname=\"broken-target\" name=\"setup\" time=\"0.000\" "
                     "file=\"broken.yaml\">\n"
                     "      <failure message=\"tgtadm line 2 refused: can&#39;t find the target\" "
                     "type=\"failure\">tgtadm line 2 refused: can&#39;t find the target\n"
                     "reproduce: iscsim run broken.yaml --seed 3 --profile rfc\n</failure>\n"
                     "    </testcase>\n"),
            std::string::npos);
  EXPECT_EQ(test::xml_problem(xml), "");
}

TEST(JunitWriter, FailedScenarioWithoutAFailingStepStillCountsAFailure) {
  ScenarioReport scenario = test::passing_scenario();
  scenario.passed = false;
  const std::string xml = to_junit_xml(RunReport{{scenario}});
  EXPECT_NE(xml.find("<testsuites name=\"iscsim\" tests=\"3\" failures=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("name=\"verdict\""), std::string::npos);
}

TEST(JunitWriter, EscapesMarkupControlCharactersAndBadUtf8) {
  const std::string xml = to_junit_xml(RunReport{{test::special_characters_scenario()}});
  EXPECT_EQ(test::xml_problem(xml), "");
  EXPECT_NE(xml.find("<testsuite name=\"quotes &lt;&amp;&gt; &quot;&#39; "
                     "seed=18446744073709551615 profile=rfc\""),
            std::string::npos);
  EXPECT_NE(xml.find("message=\"expected &quot;a&lt;b&quot; &amp; &#39;c&#39;, got "
                     "\\x01\\x1b[31mred\\x1b[0m\""),
            std::string::npos);
  EXPECT_NE(xml.find("<system-out>bell\\x07 tab\t cr&#13; lf\n nul\\x00 bad\xef\xbf\xbd\xef\xbf\xbd"
                     " utf8 \xc3\xa9t\xc3\xa9 \\xef\\xbf\\xbf end</system-out>"),
            std::string::npos);
  EXPECT_NE(xml.find("<system-err>]]&gt; &lt;!-- --&gt;</system-err>"), std::string::npos);
  EXPECT_EQ(xml.find("<script"), std::string::npos);
}

TEST(JunitWriter, TheCheckerRefusesWhatTheWriterMustNotProduce) {
  // The checker must be able to fail, or the well-formedness assertions above prove nothing.
  EXPECT_NE(test::xml_problem("<a>x & y</a>"), "");
  EXPECT_NE(test::xml_problem("<a b=\"<\"/>"), "");
  EXPECT_NE(test::xml_problem(std::string("<a>\x01</a>")), "");
  EXPECT_NE(test::xml_problem("<a>\xff</a>"), "");
  EXPECT_NE(test::xml_problem("<a><b></a></b>"), "");
  EXPECT_NE(test::xml_problem("<a>]]></a>"), "");
  EXPECT_NE(test::xml_problem("<a x=\"1\" x=\"2\"/>"), "");
  EXPECT_NE(test::xml_problem("<a>&#1;</a>"), "");
  EXPECT_EQ(test::xml_problem("<?xml version=\"1.0\"?>\n<a x='1'>&amp;&#10;<b/></a>\n"), "");
}

TEST(JunitWriter, WholeSampleRunIsWellFormedWithConsistentCounts) {
  const std::string xml = to_junit_xml(test::sample_run());
  EXPECT_EQ(test::xml_problem(xml), "");
  EXPECT_EQ(count_of(xml, "<testsuite "), 4u);
  // 1 setup + 2 + 2 + 1 testcases; setup, step 2 of chap-wrong and the special step fail.
  EXPECT_EQ(count_of(xml, "<testcase "), 6u);
  EXPECT_EQ(count_of(xml, "<failure "), 3u);
  EXPECT_NE(xml.find("<testsuites name=\"iscsim\" tests=\"6\" failures=\"3\""), std::string::npos);
}

TEST(JunitWriter, SkippedStepIsASkippedTestcaseWithItsNote) {
  const std::string xml = to_junit_xml(RunReport{{test::live_scenario()}});
  EXPECT_EQ(count_of(xml, "skipped=\"1\""), 1U) << xml;
  EXPECT_EQ(count_of(xml, "<skipped message=\"tgtadm line not run: no admin command\"/>"), 1U)
      << xml;
  EXPECT_EQ(count_of(xml, "<failure"), 0U);
  EXPECT_NE(xml.find("<property name=\"target\" value=\"iscsi://127.0.0.1:3261\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<property name=\"note\" value=\"the target block&#39;s 3 tgtadm lines"),
            std::string::npos)
      << xml;
  EXPECT_EQ(test::xml_problem(xml), "") << xml;
}

}  // namespace
}  // namespace iscsi::reports
