#include "scenarios/runner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "scenarios/live_world.hpp"
#include "scenarios/run_step.hpp"
#include "scenarios/sim_world.hpp"

namespace iscsi::scenarios {
namespace {

std::string label_of(const Step& step) {
  if (!step.name.empty()) return step.name;
  if (const auto* command = std::get_if<RunStep>(&step.action)) return command->command.text;
  return std::string(kind_name(step.action));
}

// Violation ids of both sides, initiator side first, each once.
std::vector<std::string> step_violations(World& world) {
  std::vector<std::string> ids = world.initiator_trace().violations();
  for (const std::string& id : world.target_trace().violations()) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

StepResult run_one(World& world, const Scenario& scenario, const Step& step, Profile profile) {
  StepResult result;
  result.index = step.index;
  result.label = label_of(step);
  result.kind = std::string(kind_name(step.action));
  result.start = world.now();
  result.first_pdu = world.initiator_trace().pdus().size();
  world.initiator_trace().begin_step();
  world.target_trace().begin_step();

  StepRun run = execute_step(world, scenario, step);
  run.output.login_status = world.initiator_trace().login_status();
  run.output.violations = step_violations(world);

  result.failures = run.errors;
  // A skipped step (live runs) did nothing its expectations could be checked against.
  result.skipped = !run.skipped.empty();
  result.note = std::move(run.skipped);
  if (!result.skipped) {
    for (std::string& failure : check_expectation(expectation_for(step, profile), run)) {
      result.failures.push_back(std::move(failure));
    }
  }
  result.passed = result.failures.empty();
  result.output = std::move(run.output);
  result.end = world.now();
  result.end_pdu = world.initiator_trace().pdus().size();
  return result;
}

// A step after a fault that a live run could not inject: what it expects depends on the
// fault, so it is skipped as well, and says which step it waited for.
StepResult skipped_after_fault(World& world, const Step& step, std::size_t fault_index) {
  StepResult result;
  result.index = step.index;
  result.label = label_of(step);
  result.kind = std::string(kind_name(step.action));
  result.start = result.end = world.now();
  result.first_pdu = result.end_pdu = world.initiator_trace().pdus().size();
  result.skipped = true;
  result.passed = true;
  result.note =
      fmt::format("not run: it follows step {}, a fault the live target did not get", fault_index);
  return result;
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult result;
  result.scenario = scenario.name;
  result.seed = options.seed.value_or(scenario.seed);
  result.profile = options.profile.value_or(scenario.target.profile);
  std::unique_ptr<World> built;
  if (options.live) {
    auto live = LiveWorld::create(scenario, *options.live);
    if (!live.ok()) {
      result.setup_error = live.error().detail;
      return result;
    }
    built = std::move(live).value();
  } else {
    built = std::make_unique<SimWorld>(scenario, result.seed, result.profile);
  }
  World& world = *built;
  if (options.capture_pcap) result.setup_error = world.start_capture();
  if (result.setup_error.empty()) result.setup_error = world.setup();
  result.notes = world.notes();
  if (result.setup_error.empty()) {
    std::optional<std::size_t> skipped_fault;
    for (const Step& step : scenario.steps) {
      if (skipped_fault) {
        result.steps.push_back(skipped_after_fault(world, step, *skipped_fault));
        continue;
      }
      result.steps.push_back(run_one(world, scenario, step, result.profile));
      const StepResult& done = result.steps.back();
      if (done.skipped && std::holds_alternative<FaultStep>(step.action)) {
        skipped_fault = done.index;
      }
    }
  }
  result.pdus = std::move(world.initiator_trace().pdus());
  // The capture includes the connections' last FINs and RSTs of the teardown.
  world.teardown();
  Result<Bytes> capture = world.finish_capture();
  if (capture.ok()) {
    result.pcap = std::move(capture).value();
  } else if (result.setup_error.empty()) {
    result.setup_error = "the capture could not be written: " + capture.error().to_string();
  }
  result.passed =
      result.setup_error.empty() && std::all_of(result.steps.begin(), result.steps.end(),
                                                [](const StepResult& step) { return step.passed; });
  return result;
}

}  // namespace iscsi::scenarios
