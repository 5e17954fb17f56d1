#pragma once
// The sentences and figures that several outputs share (internal to reports/), so junit.xml,
// report.html and the console say the same thing in the same words. Results are raw text:
// each writer escapes them for its own format.
#include <cstddef>
#include <cstdint>
#include <string>

#include "reports/model.hpp"

namespace iscsi::reports {

// Virtual nanoseconds as decimal seconds, exact, with at least three decimals and no trailing
// zeros past them: 1234000 -> "0.001234", 2000000000 -> "2.000", 1500 -> "0.0000015".
std::string format_seconds(std::int64_t ns);

// Sums and differences of times read from a file can be anything: they saturate at the int64
// limits instead of overflowing.
std::int64_t saturating_add(std::int64_t a, std::int64_t b);
std::int64_t saturating_sub(std::int64_t a, std::int64_t b);

// "NAME seed=N profile=P": a scenario run's name in junit.xml, the HTML page and errors.
std::string scenario_title(const ScenarioReport& scenario);
// "step 3: LABEL".
std::string step_title(const StepReport& step);

std::size_t steps_passed(const ScenarioReport& scenario);
// Steps skipped in a live run (they also count as passed).
std::size_t steps_skipped(const ScenarioReport& scenario);
// "7/8", or "7/8 (1 skipped)" when steps were skipped: the console's and the HTML's step count.
std::string steps_column(const ScenarioReport& scenario);

// A scenario marked failed whose steps all passed and which has no setup error (a verdict
// that no step explains): the writers report it as a failing pseudo-step "verdict".
bool failed_without_failing_step(const ScenarioReport& scenario);
inline constexpr const char* kUnexplainedFailure =
    "the scenario failed although no step failed and there was no setup error";

// The first sentence of a failing step ("step failed" when the step gave none).
std::string first_step_failure(const StepReport& step);
// What failed first in a scenario: "setup: SETUP_ERROR", "step 3: SENTENCE", the unexplained
// verdict sentence, or empty for a passing scenario.
std::string first_failure(const ScenarioReport& scenario);

// "decided by PDU #8 at 0.001234s: target -> client Login Response: SUMMARY" for a step's
// deciding PDU (PDU numbers count from 1 in every human-readable output); empty when the step
// has none or its index is outside the scenario's PDUs.
std::string decided_by(const ScenarioReport& scenario, const StepReport& step);

// "3 scenarios: 2 passed, 1 failed" ("1 scenario: ..." for one).
std::string totals_line(const RunReport& report);

}  // namespace iscsi::reports
