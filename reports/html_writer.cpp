// report.html (docs/reports.md, "report.html"): one self-contained page (inline CSS and SVG,
// no script, nothing fetched) with a summary table and one section per scenario run.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "reports/html_parts.hpp"
#include "reports/wording.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

constexpr std::string_view kHtmlStyle = R"(body{font-family:sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#eee}
.verdict{font-weight:bold}
.pass .verdict,.verdict.pass{color:#176c2f}
.fail .verdict,.verdict.fail{color:#b3261e}
.verdict.skip{color:#8a6d00}
tr.fail{background:#fdecea}
section{border-top:2px solid #ccc;margin-top:2em}
pre{background:#f6f6f6;padding:.4em;white-space:pre-wrap;max-height:30em;overflow:auto}
ul.failures{margin:0;padding-left:1.2em;color:#b3261e}
.setup-error{color:#b3261e;font-weight:bold}
.ladder{overflow-x:auto}
svg text{font-family:monospace;font-size:11px}
svg .host{font-weight:bold;font-size:12px}
svg .lifeline{stroke:#888;stroke-dasharray:4 3}
svg .arrow{stroke:#1a4f8b;fill:none}
svg .arrowhead{fill:#1a4f8b}
svg .band-pass{fill:#e8f5e9}
svg .band-fail{fill:#fdecea}
svg .band-alt{fill:#f2f2f2}
svg .note{fill:#666}
)";

std::string verdict_cell(bool passed) {
  return passed ? "<span class=\"verdict pass\">PASS</span>"
                : "<span class=\"verdict fail\">FAIL</span>";
}

// The pcap as a link when it is a plain relative path, else as text.
std::string pcap_link(const ScenarioReport& scenario) {
  if (scenario.pcap.empty()) return "";
  const std::string href = relative_href(scenario.pcap);
  if (href.empty()) return html_text(scenario.pcap);
  return fmt::format("<a href=\"{}\">{}</a>", html_attr(href), html_text(scenario.pcap));
}

// A live run names its endpoint under the scenario's name; a simulator run adds nothing.
std::string target_html(const ScenarioReport& scenario) {
  if (scenario.target.empty()) return {};
  return "<br><small>against " + html_text(scenario.target) + "</small>";
}

void append_summary_table(std::string& out, const RunReport& report) {
  out +=
      "<table class=\"summary\">\n<thead><tr><th>scenario</th><th>seed</th><th>profile</th>"
      "<th>verdict</th><th>steps passed</th><th>virtual duration</th><th>pcap</th></tr>"
      "</thead>\n<tbody>\n";
  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    const ScenarioReport& scenario = report.scenarios[i];
    out += fmt::format(
        "<tr class=\"{}\"><td><a href=\"#{}\">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}s</td><td>{}</td></tr>\n",
        scenario.passed ? "pass" : "fail", scenario_anchor(i), html_text(scenario.name),
        target_html(scenario), scenario.seed, html_text(scenario.profile),
        verdict_cell(scenario.passed), html_text(steps_column(scenario)),
        format_seconds(scenario.duration_ns), pcap_link(scenario));
  }
  out += "</tbody>\n</table>\n";
}

void append_scenario_facts(std::string& out, const ScenarioReport& scenario) {
  out += "<table class=\"facts\">\n";
  const auto fact = [&out](std::string_view name, const std::string& value_html) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", name, value_html);
  };
  fact("file", html_text(scenario.file));
  if (!scenario.target.empty()) fact("target", html_text(scenario.target));
  fact("hosts", html_text(fmt::format("{}", fmt::join(scenario.hosts, ", "))));
  fact("virtual duration", format_seconds(scenario.duration_ns) + "s");
  fact("pcap", pcap_link(scenario));
  fact("reproduce", "<code>" + html_text(scenario.reproduce) + "</code>");
  out += "</table>\n";
}

void append_scenario_section(std::string& out, const ScenarioReport& scenario, std::size_t index) {
  out += fmt::format("<section id=\"{}\" class=\"{}\">\n", scenario_anchor(index),
                     scenario.passed ? "pass" : "fail");
  out += fmt::format("<h2>{} {}</h2>\n", html_text(scenario_title(scenario)),
                     verdict_cell(scenario.passed));
  if (!scenario.notes.empty()) {
    out += "<ul class=\"notes\">";
    for (const std::string& note : scenario.notes) out += "<li>" + html_text(note) + "</li>";
    out += "</ul>\n";
  }
  append_scenario_facts(out, scenario);
  if (!scenario.setup_error.empty()) {
    out += "<p class=\"setup-error\">setup error: " + html_text(scenario.setup_error) + "</p>\n";
  }
  if (failed_without_failing_step(scenario)) {
    out += fmt::format("<p class=\"setup-error\">{}</p>\n", kUnexplainedFailure);
  }
  append_steps_table(out, scenario);
  out += "<h3>PDU ladder</h3>\n<div class=\"ladder\">\n";
  append_ladder_svg(out, scenario, index);
  out += "</div>\n<p><a href=\"#summary\">back to the summary</a></p>\n</section>\n";
}

}  // namespace

std::string scenario_anchor(std::size_t index) { return fmt::format("scenario-{}", index + 1); }

std::string relative_href(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != path.npos) return {};
  if (path == ".." || path.rfind("../", 0) == 0 || path.find("/../") != path.npos ||
      (path.size() >= 3 && path.substr(path.size() - 3) == "/..")) {
    return {};
  }
  // Everything but unreserved characters and "/" is percent-encoded (RFC 3986 §2), so a ":"
  // can never start a scheme and no byte can end the attribute.
  std::string href;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                       (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                       c == '~' || c == '/';
    href += plain ? std::string(1, c) : fmt::format("%{:02X}", byte);
  }
  return href;
}

std::string to_html(const RunReport& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>iscsim report</title>\n<style>\n";
  out += kHtmlStyle;
  out += "</style>\n</head>\n<body>\n<h1 id=\"summary\">iscsim report</h1>\n";
  out += "<p>" + html_text(totals_line(report)) + "</p>\n";
  append_summary_table(out, report);
  for (std::size_t i = 0; i < report.scenarios.size(); ++i) {
    append_scenario_section(out, report.scenarios[i], i);
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace iscsi::reports
