// junit.xml (docs/reports.md, "junit.xml"): the JUnit XML that CI systems read. One
// <testsuite> per scenario run, one <testcase> per step; a failing step's <failure> says each
// failure sentence, the PDU that decided the verdict and the command that reproduces the run.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/escape.hpp"
#include "reports/wording.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

std::string junit_attr(std::string_view text) {
  return escape_markup(text, MarkupContext::attribute);
}

// One testcase as the writer sees it: a step, or a pseudo-step ("setup", "verdict").
struct JunitCase {
  std::string name;
  std::int64_t duration_ns = 0;
  bool failed = false;
  bool skipped = false;      // a step skipped in a live run: <skipped message="NOTE"/>
  std::string note;
  std::string message;       // the first failure sentence
  std::string failure_text;  // every line of the <failure> element
  std::string source;
  std::string out;
  std::string err;
};

std::string junit_failure_text(const ScenarioReport& scenario, const StepReport& step) {
  std::string text;
  for (const std::string& sentence : step.failures) text += sentence + "\n";
  if (step.failures.empty()) text += "step failed\n";
  if (std::string decided = decided_by(scenario, step); !decided.empty()) text += decided + "\n";
  if (!scenario.reproduce.empty()) text += "reproduce: " + scenario.reproduce + "\n";
  return text;
}

JunitCase junit_step_case(const ScenarioReport& scenario, const StepReport& step) {
  JunitCase test;
  test.name = step_title(step);
  test.duration_ns = saturating_sub(step.end_ns, step.start_ns);
  test.failed = !step.passed;
  test.skipped = step.skipped;
  test.note = step.note;
  if (test.failed) {
    test.message = first_step_failure(step);
    test.failure_text = junit_failure_text(scenario, step);
  }
  test.source = step.source;
  test.out = step.out;
  test.err = step.err;
  return test;
}

// A failing pseudo-step for a failure that belongs to no step (setup error, bare verdict).
JunitCase junit_pseudo_case(const ScenarioReport& scenario, std::string name,
                            const std::string& sentence) {
  JunitCase test;
  test.name = std::move(name);
  test.failed = true;
  test.message = sentence;
  test.failure_text = sentence + "\n";
  if (!scenario.reproduce.empty()) test.failure_text += "reproduce: " + scenario.reproduce + "\n";
  test.source = scenario.file;
  return test;
}

std::vector<JunitCase> junit_cases(const ScenarioReport& scenario) {
  std::vector<JunitCase> cases;
  if (!scenario.setup_error.empty()) {
    cases.push_back(junit_pseudo_case(scenario, "setup", scenario.setup_error));
  }
  for (const StepReport& step : scenario.steps) cases.push_back(junit_step_case(scenario, step));
  if (failed_without_failing_step(scenario)) {
    cases.push_back(junit_pseudo_case(scenario, "verdict", kUnexplainedFailure));
  }
  return cases;
}

std::size_t junit_failures(const std::vector<JunitCase>& cases) {
  std::size_t failures = 0;
  for (const JunitCase& test : cases) failures += test.failed ? 1 : 0;
  return failures;
}

std::size_t junit_skipped(const std::vector<JunitCase>& cases) {
  std::size_t skipped = 0;
  for (const JunitCase& test : cases) skipped += test.skipped ? 1 : 0;
  return skipped;
}

void append_junit_case(std::string& out, const std::string& classname, const JunitCase& test) {
  out +=
      fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", junit_attr(classname),
                  junit_attr(test.name), format_seconds(test.duration_ns));
  if (!test.source.empty()) out += fmt::format(" file=\"{}\"", junit_attr(test.source));
  if (!test.failed && !test.skipped && test.out.empty() && test.err.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (test.failed) {
    out += fmt::format("      <failure message=\"{}\" type=\"failure\">", junit_attr(test.message));
    append_escaped(out, test.failure_text, MarkupContext::text);
    out += "</failure>\n";
  }
  if (test.skipped) {
    out += fmt::format("      <skipped message=\"{}\"/>\n", junit_attr(test.note));
  }
  if (!test.out.empty()) {
    out += "      <system-out>";
    append_escaped(out, test.out, MarkupContext::text);
    out += "</system-out>\n";
  }
  if (!test.err.empty()) {
    out += "      <system-err>";
    append_escaped(out, test.err, MarkupContext::text);
    out += "</system-err>\n";
  }
  out += "    </testcase>\n";
}

void append_junit_properties(std::string& out, const ScenarioReport& scenario) {
  out += "    <properties>\n";
  const auto property = [&out](std::string_view name, std::string_view value) {
    out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, junit_attr(value));
  };
  property("file", scenario.file);
  property("seed", fmt::format("{}", scenario.seed));
  property("profile", scenario.profile);
  property("pcap", scenario.pcap);
  property("reproduce", scenario.reproduce);
  if (!scenario.target.empty()) property("target", scenario.target);
  for (const std::string& note : scenario.notes) property("note", note);
  out += "    </properties>\n";
}

struct JunitSuite {
  std::string text;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t skipped = 0;
};

JunitSuite junit_suite(const ScenarioReport& scenario) {
  const std::vector<JunitCase> cases = junit_cases(scenario);
  JunitSuite suite{{}, cases.size(), junit_failures(cases), junit_skipped(cases)};
  suite.text = fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
      "time=\"{}\">\n",
      junit_attr(scenario_title(scenario)), suite.tests, suite.failures, suite.skipped,
      format_seconds(scenario.duration_ns));
  append_junit_properties(suite.text, scenario);
  for (const JunitCase& test : cases) append_junit_case(suite.text, scenario.name, test);
  suite.text += "  </testsuite>\n";
  return suite;
}

}  // namespace

std::string to_junit_xml(const RunReport& report) {
  std::string body;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::int64_t duration_ns = 0;
  for (const ScenarioReport& scenario : report.scenarios) {
    JunitSuite suite = junit_suite(scenario);
    tests += suite.tests;
    failures += suite.failures;
    duration_ns = saturating_add(duration_ns, scenario.duration_ns);
    body += suite.text;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"iscsim\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n", tests,
      failures, format_seconds(duration_ns));
  out += body;
  out += "</testsuites>\n";
  return out;
}

}  // namespace iscsi::reports
