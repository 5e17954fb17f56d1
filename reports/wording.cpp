// Shared sentences and figures of the report writers (reports/wording.hpp).
#include "reports/wording.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace iscsi::reports {

std::string format_seconds(std::int64_t ns) {
  // Integer arithmetic only: the text must not depend on floating-point rounding.
  const bool negative = ns < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string fraction = fmt::format("{:09}", magnitude % 1'000'000'000u);
  while (fraction.size() > 3 && fraction.back() == '0') fraction.pop_back();
  return fmt::format("{}{}.{}", negative ? "-" : "", magnitude / 1'000'000'000u, fraction);
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}

std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  std::int64_t difference = 0;
  if (!__builtin_sub_overflow(a, b, &difference)) return difference;
  return b < 0 ? std::numeric_limits<std::int64_t>::max()
               : std::numeric_limits<std::int64_t>::min();
}

std::string scenario_title(const ScenarioReport& scenario) {
  return fmt::format("{} seed={} profile={}", scenario.name, scenario.seed, scenario.profile);
}

std::string step_title(const StepReport& step) {
  return fmt::format("step {}: {}", step.index, step.label);
}

std::size_t steps_passed(const ScenarioReport& scenario) {
  return static_cast<std::size_t>(std::count_if(scenario.steps.begin(), scenario.steps.end(),
                                                [](const StepReport& s) { return s.passed; }));
}

std::size_t steps_skipped(const ScenarioReport& scenario) {
  return static_cast<std::size_t>(std::count_if(scenario.steps.begin(), scenario.steps.end(),
                                                [](const StepReport& s) { return s.skipped; }));
}

std::string steps_column(const ScenarioReport& scenario) {
  std::string column = fmt::format("{}/{}", steps_passed(scenario), scenario.steps.size());
  if (const std::size_t skipped = steps_skipped(scenario); skipped > 0) {
    column += fmt::format(" ({} skipped)", skipped);
  }
  return column;
}

bool failed_without_failing_step(const ScenarioReport& scenario) {
  return !scenario.passed && scenario.setup_error.empty() &&
         steps_passed(scenario) == scenario.steps.size();
}

std::string first_step_failure(const StepReport& step) {
  return step.failures.empty() ? std::string("step failed") : step.failures.front();
}

std::string first_failure(const ScenarioReport& scenario) {
  if (scenario.passed) return {};
  if (!scenario.setup_error.empty()) return "setup: " + scenario.setup_error;
  for (const StepReport& step : scenario.steps) {
    if (!step.passed) return fmt::format("step {}: {}", step.index, first_step_failure(step));
  }
  return kUnexplainedFailure;
}

std::string decided_by(const ScenarioReport& scenario, const StepReport& step) {
  if (!step.deciding_pdu || *step.deciding_pdu >= scenario.pdus.size()) return {};
  const std::size_t index = *step.deciding_pdu;
  const PduEntry& pdu = scenario.pdus[index];
  std::string text = fmt::format("decided by PDU #{} at {}s: {} -> {} {}", index + 1,
                                 format_seconds(pdu.at_ns), pdu.from, pdu.to, pdu.opcode);
  if (!pdu.summary.empty()) text += ": " + pdu.summary;
  return text;
}

std::string totals_line(const RunReport& report) {
  const std::size_t total = report.scenarios.size();
  return fmt::format("{} scenario{}: {} passed, {} failed", total, total == 1 ? "" : "s",
                     report.passed_count(), report.failed_count());
}

}  // namespace iscsi::reports
