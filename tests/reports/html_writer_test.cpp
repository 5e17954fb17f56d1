// report.html (reports/writers.hpp, to_html): self-contained, escaped, one ladder per
// scenario, bounded.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "reports/html_parts.hpp"
#include "reports/writers.hpp"
#include "tests/reports/sample_reports.hpp"

namespace iscsi::reports {
namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The values of every `name="..."` attribute of the page.
std::vector<std::string> attribute_values(const std::string& html, const std::string& name) {
  std::vector<std::string> values;
  const std::string opening = " " + name + "=\"";
  for (std::size_t at = html.find(opening); at != std::string::npos;
       at = html.find(opening, at + 1)) {
    const std::size_t start = at + opening.size();
    values.push_back(html.substr(start, html.find('"', start) - start));
  }
  return values;
}

TEST(HtmlWriter, FetchesNothingAndLinksOnlyInsideThePageAndTheOutputDirectory) {
  const std::string html = to_html(test::sample_run());
  EXPECT_EQ(occurrences(html, "src="), 0u);
  EXPECT_EQ(occurrences(html, "http"), 0u);  // no URL, not even an SVG namespace
  EXPECT_EQ(occurrences(html, "<script"), 0u);
  EXPECT_EQ(occurrences(html, "<link"), 0u);
  EXPECT_EQ(occurrences(html, "url("), occurrences(html, "url(#arrow-"));
  const std::vector<std::string> hrefs = attribute_values(html, "href");
  ASSERT_FALSE(hrefs.empty());
  for (const std::string& href : hrefs) {
    const bool anchor = href.rfind("#", 0) == 0;
    const bool relative = href.rfind("pcap/", 0) == 0 && href.find(':') == std::string::npos;
    EXPECT_TRUE(anchor || relative) << href;
  }
  EXPECT_EQ(occurrences(html, "href=\"pcap/"), 8u);  // the summary and the section of 4 runs
}

TEST(HtmlWriter, HasASummaryRowSectionAndLadderPerScenario) {
  const RunReport report = test::sample_run();
  const std::string html = to_html(report);
  EXPECT_EQ(occurrences(html, "<svg "), report.scenarios.size());
  EXPECT_EQ(occurrences(html, "<section id=\"scenario-"), report.scenarios.size());
  for (std::size_t i = 1; i <= report.scenarios.size(); ++i) {
    EXPECT_EQ(occurrences(html, "href=\"#scenario-" + std::to_string(i) + "\""), 1u);
    EXPECT_EQ(occurrences(html, "id=\"scenario-" + std::to_string(i) + "\""), 1u);
  }
  EXPECT_NE(html.find("<tr class=\"pass\"><td><a href=\"#scenario-3\">discovery</a></td><td>1</td>"
                      "<td>rfc</td><td><span class=\"verdict pass\">PASS</span></td><td>2/2</td>"
                      "<td>1.002s</td><td><a href=\"pcap/discovery-seed1.pcap\">"
                      "pcap/discovery-seed1.pcap</a></td></tr>"),
            std::string::npos);
  EXPECT_NE(html.find("<p>4 scenarios: 1 passed, 3 failed</p>"), std::string::npos);
}

TEST(HtmlWriter, ShowsFailuresTheDecidingPduAndCollapsedOutput) {
  const std::string html = to_html(RunReport{{test::failing_scenario()}});
  EXPECT_NE(html.find("<ul class=\"failures\"><li>expected exit 24, got 0</li><li>expected login "
                      "status 0x0201, got 0x0000</li></ul>"),
            std::string::npos);
  EXPECT_NE(html.find("<div>decided by PDU #2 at 0.001001234s: target -&gt; client Login "
                      "Response: status 0x0201</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<div>violations: login.auth-failed</div>"), std::string::npos);
  EXPECT_NE(html.find("<details><summary>output (exit 0)</summary><pre>Logging in to"),
            std::string::npos);
  EXPECT_NE(html.find("<td>0x0201</td>"), std::string::npos);
}

TEST(HtmlWriter, DrawsALifelinePerHostAndAnArrowPerPdu) {
  const std::string html = to_html(RunReport{{test::passing_scenario()}});
  EXPECT_EQ(occurrences(html, "class=\"lifeline\""), 2u);
  EXPECT_EQ(occurrences(html, "<line class=\"arrow\""), 4u);
  // target is the first column (x = 100 + 85), client the second (x = 100 + 170 + 85).
  EXPECT_NE(html.find("<line class=\"arrow\" x1=\"355\" y1=\"56\" x2=\"185\" y2=\"56\" "
                      "marker-end=\"url(#arrow-1)\"/><text x=\"270\" y=\"52\" "
                      "text-anchor=\"middle\">#1 Login Request</text>"),
            std::string::npos);
  EXPECT_NE(html.find("<title>ITT 0x1 CSG 1 NSG 3 T (10.0.0.2:49152 -&gt; 10.0.0.1:3260, 512 "
                      "bytes)</title><text x=\"4\" y=\"56\">0.001s</text>"),
            std::string::npos);
  // Step 1 covers PDUs 0..3 as a band; step 2 saw no PDU and has none.
  EXPECT_NE(html.find("<g><title>step 1: iscsiadm -m discovery -t st -p 10.0.0.1</title><rect "
                      "class=\"band-pass\" x=\"0\" y=\"40\" width=\"570\" height=\"96\"/>"),
            std::string::npos);
  EXPECT_EQ(occurrences(html, "<rect "), 1u);
  EXPECT_NE(html.find(">4 PDUs</text>"), std::string::npos);
}

TEST(HtmlWriter, BoundsTheLadder) {
  ScenarioReport storm = test::passing_scenario();
  const PduEntry pdu = storm.pdus[0];
  storm.pdus.assign(kMaxLadderPdus + 500, pdu);
  storm.pdus_dropped = 20;
  storm.steps[0].end_pdu = storm.pdus.size();
  for (int i = 0; i < 300; ++i) storm.hosts.push_back("client" + std::to_string(i));
  const std::string html = to_html(RunReport{{storm}});
  EXPECT_EQ(occurrences(html, "<line class=\"arrow\""), kMaxLadderPdus);
  EXPECT_EQ(occurrences(html, "class=\"lifeline\""), kMaxLadderHosts);
  EXPECT_NE(html.find(">520 more PDUs in the pcap</text>"), std::string::npos);
  EXPECT_LT(html.size(), 2'000'000u);
}

TEST(HtmlWriter, MarksPdusBetweenHostsBeyondTheColumnLimit) {
  ScenarioReport scenario = test::passing_scenario();
  scenario.hosts.clear();
  for (std::size_t i = 0; i < kMaxLadderHosts; ++i)
    scenario.hosts.push_back("h" + std::to_string(i));
  const std::string html = to_html(RunReport{{scenario}});
  EXPECT_EQ(occurrences(html, "<line class=\"arrow\""), 0u);
  EXPECT_EQ(occurrences(html, " (host not drawn)</text>"), 4u);
}

TEST(HtmlWriter, EscapesEverythingAndLinksNoOddPath) {
  const std::string html = to_html(RunReport{{test::special_characters_scenario()}});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<h2>quotes &lt;&amp;&gt; &quot;&#39; seed=18446744073709551615 "
                      "profile=rfc <span"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"pcap/quotes%20%3C%26%3E%20%22%27-seed18446744073709551615.pcap\""),
            std::string::npos);
  EXPECT_NE(html.find("<polyline class=\"arrow\""), std::string::npos);  // the self-sent NOP-In
  EXPECT_EQ(html.find('\0'), std::string::npos);
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
}

TEST(HtmlWriter, RelativeHrefRefusesPathsLeavingTheOutputDirectory) {
  EXPECT_EQ(relative_href("pcap/a-seed1.pcap"), "pcap/a-seed1.pcap");
  EXPECT_EQ(relative_href("pcap/a b:c.pcap"), "pcap/a%20b%3Ac.pcap");
  EXPECT_EQ(relative_href("javascript:alert(1)"), "javascript%3Aalert%281%29");
  EXPECT_EQ(relative_href("/etc/passwd"), "");
  EXPECT_EQ(relative_href("../x.pcap"), "");
  EXPECT_EQ(relative_href("pcap/../../x.pcap"), "");
  EXPECT_EQ(relative_href("pcap/.."), "");
  EXPECT_EQ(relative_href(".."), "");
  EXPECT_EQ(relative_href("pcap\\x.pcap"), "");
  EXPECT_EQ(relative_href(""), "");
}

TEST(HtmlWriter, EmptyReportIsAPageWithAnEmptySummary) {
  const std::string html = to_html(RunReport{});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<p>0 scenarios: 0 passed, 0 failed</p>"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<svg "), 0u);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(HtmlWriter, ShowsSkippedStepsRunNotesAndTheTarget) {
  const std::string html = to_html(RunReport{{test::live_scenario()}});
  EXPECT_EQ(occurrences(html, "<span class=\"verdict skip\">SKIPPED</span>"), 1U);
  EXPECT_NE(html.find("<div class=\"note\">tgtadm line not run: no admin command</div>"),
            std::string::npos);
  EXPECT_NE(html.find("<ul class=\"notes\"><li>the target block&#39;s 3 tgtadm lines"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<small>against iscsi://127.0.0.1:3261</small>"), std::string::npos);
  EXPECT_NE(html.find("<td>2/2 (1 skipped)</td>"), std::string::npos);
  const std::string simulated = to_html(RunReport{{test::passing_scenario()}});
  EXPECT_EQ(simulated.find("against "), std::string::npos);
  EXPECT_EQ(simulated.find("SKIPPED"), std::string::npos);
}

}  // namespace
}  // namespace iscsi::reports
