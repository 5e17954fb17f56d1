// libFuzzer harness for scenarios/loader. Input: a scenario file. Invariants for any input:
// load_scenario() returns (no exception, no crash, no hang); a refusal names the file and is a
// scenario.invalid violation; a loaded scenario's cross-references hold (the target's host and
// every step's initiator exist, steps are numbered from 1); loading is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "scenarios/loader.hpp"

namespace {

using namespace iscsi::scenarios;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "scenario harness invariant broken: %s\n", what);
    std::abort();
  }
}

void check_loaded(const Scenario& scenario) {
  check(!scenario.name.empty(), "a scenario has a name");
  check(!scenario.hosts.empty(), "a scenario has hosts");
  check(scenario.host(scenario.target.host) != nullptr, "the target's host exists");
  check(!scenario.target.portals.empty(), "the target has a portal");
  for (const InitiatorSpec& initiator : scenario.initiators) {
    check(scenario.host(initiator.host) != nullptr, "an initiator's host exists");
  }
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const Step& step = scenario.steps[i];
    check(step.index == i + 1, "steps are numbered from 1");
    check(step.on.empty() || scenario.initiator(step.on) != nullptr, "a step's initiator exists");
    for (Profile profile : {Profile::rfc, Profile::tgt}) (void)expectation_for(step, profile);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  iscsi::Result<Scenario> loaded = load_scenario(text, "fuzz.yaml");
  iscsi::Result<Scenario> again = load_scenario(text, "fuzz.yaml");
  check(loaded.ok() == again.ok(), "loading is deterministic");
  if (!loaded) {
    check(loaded.error().id() == "scenario.invalid", "refusals are scenario.invalid");
    check(loaded.error().detail.rfind("fuzz.yaml", 0) == 0, "a refusal names the file");
    check(loaded.error().detail == again.error().detail, "refusals are deterministic");
    return 0;
  }
  check_loaded(*loaded);
  check(loaded->steps.size() == again->steps.size(), "loads are deterministic");
  return 0;
}
