#pragma once
// Literal report models shared by the tests of reports/: a passing tutorial scenario, a
// failing one with a deciding PDU, a setup error, and one full of characters every output
// must escape. Times are literal virtual nanoseconds.
#include "reports/model.hpp"

namespace iscsi::reports::test {

ScenarioReport passing_scenario();             // "discovery" seed 1 rfc: 2 passing steps, 4 PDUs
ScenarioReport failing_scenario();             // "chap-wrong" seed 7 tgt: step 2 fails, exit 24
ScenarioReport setup_error_scenario();         // "broken-target" seed 3 rfc: no step ran
ScenarioReport special_characters_scenario();  // markup, controls, bad UTF-8, non-ASCII
// "tgtadm-live" seed 1 tgt against iscsi://127.0.0.1:3261: a run note, step 1 skipped with a
// note, step 2 passing (not part of sample_run()).
ScenarioReport live_scenario();

// The four above, sorted.
RunReport sample_run();
Timings sample_timings();

}  // namespace iscsi::reports::test
