#pragma once
// One step of a run: carrying out its action in the World (run_step_action.cpp, run_fault.cpp)
// and comparing what happened with its expectation (run_expect.cpp).
#include <optional>
#include <string>
#include <vector>

#include "scenarios/model.hpp"
#include "scenarios/run_world.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios {

// What a step did, beyond StepOutput.
struct StepRun {
  StepOutput output;
  // The step could not do what it says (a bound reached, no session, a refused line that is
  // not a run step's outcome): each sentence is a failure whatever the expectation.
  std::vector<std::string> errors;
  std::optional<bool> data_verified;                   // io steps with a verify
  std::optional<std::vector<std::string>> discovered;  // discovery run steps
};

// The initiator a step acts on: `on`, or the only initiator.
InitiatorNode* initiator_of(World& world, const Scenario& scenario, const Step& step);

StepRun execute_step(World& world, const Scenario& scenario, const Step& step);

// Arms a fault step's fault on the fabric (now, at a time, or at a PDU). An error sentence
// when the fault names nothing that exists.
std::string arm_fault(World& world, const FaultStep& fault);

// One failure sentence per unmet field of `expect`.
std::vector<std::string> check_expectation(const Expect& expect, const StepRun& run);

// "run", "iscsid.conf", "io", ... as the YAML key.
std::string_view kind_name(const StepAction& action);

}  // namespace iscsi::scenarios
