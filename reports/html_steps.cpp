// The step table of a scenario section of report.html (reports/html_parts.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>

#include "reports/html_parts.hpp"
#include "reports/wording.hpp"

namespace iscsi::reports {
namespace {

std::string step_verdict_html(const StepReport& step) {
  if (step.skipped) return "<span class=\"verdict skip\">SKIPPED</span>";
  return step.passed ? "<span class=\"verdict pass\">PASS</span>"
                     : "<span class=\"verdict fail\">FAIL</span>";
}

std::string login_status_html(const StepReport& step) {
  return step.login_status ? fmt::format("0x{:04x}", *step.login_status) : std::string();
}

// Failure sentences, the deciding PDU, violations, then the output, collapsed.
std::string step_details_html(const ScenarioReport& scenario, const StepReport& step) {
  std::string html;
  if (step.skipped) html += "<div class=\"note\">" + html_text(step.note) + "</div>";
  if (!step.passed) {
    html += "<ul class=\"failures\">";
    for (const std::string& sentence : step.failures)
      html += "<li>" + html_text(sentence) + "</li>";
    if (step.failures.empty()) html += "<li>step failed</li>";
    html += "</ul>";
  }
  if (std::string decided = decided_by(scenario, step); !decided.empty()) {
    html += "<div>" + html_text(decided) + "</div>";
  }
  if (!step.violations.empty()) {
    html += "<div>violations: " + html_text(fmt::format("{}", fmt::join(step.violations, ", "))) +
            "</div>";
  }
  if (!step.out.empty() || !step.err.empty()) {
    html += fmt::format("<details><summary>output (exit {})</summary>", step.exit_code);
    if (!step.out.empty()) html += "<pre>" + html_text(step.out) + "</pre>";
    if (!step.err.empty()) html += "<pre class=\"stderr\">" + html_text(step.err) + "</pre>";
    html += "</details>";
  }
  return html;
}

// The exit column: only steps that ran a command have an exit status (run, logout).
std::string exit_cell(const StepReport& step) {
  if (step.skipped || (step.kind != "run" && step.kind != "logout")) return "";
  return std::to_string(step.exit_code);
}

}  // namespace

void append_steps_table(std::string& out, const ScenarioReport& scenario) {
  if (scenario.steps.empty()) {
    out += "<p>No step ran.</p>\n";
    return;
  }
  out +=
      "<table class=\"steps\">\n<thead><tr><th>#</th><th>step</th><th>kind</th>"
      "<th>source</th><th>verdict</th><th>exit</th><th>login status</th>"
      "<th>virtual time</th><th>details</th></tr></thead>\n<tbody>\n";
  for (const StepReport& step : scenario.steps) {
    out += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}s to {}s</td><td>{}</td></tr>\n",
        step.skipped ? "skip" : (step.passed ? "pass" : "fail"), step.index, html_text(step.label),
        html_text(step.kind), html_text(step.source), step_verdict_html(step), exit_cell(step),
        login_status_html(step), format_seconds(step.start_ns), format_seconds(step.end_ns),
        step_details_html(scenario, step));
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace iscsi::reports
