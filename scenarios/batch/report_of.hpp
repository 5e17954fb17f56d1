#pragma once
// One run's report (reports::ScenarioReport) from its RunResult and its Scenario: the hosts
// (ladder columns), one PduEntry per recorded PDU with virtual times since the scenario
// started and host names found by the connection's addresses, one StepReport per step with
// its place in the file and the PDU that decided it, the pcap's path under --out and the
// command that reproduces the run (docs/running.md, Outputs).
//
//   RunResult result = run_scenario(scenario, {.seed = 3, .capture_pcap = true});
//   reports::ScenarioReport report = report_of(result, scenario, "chap.yaml");
//   // report.reproduce == "iscsim run chap.yaml --seed 3 --profile rfc"
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reports/model.hpp"
#include "scenarios/model.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios::batch {

// PDUs kept in one report (a larger run is counted in ScenarioReport::pdus_dropped).
inline constexpr std::size_t kMaxReportPdus = 200'000;

// "pcap/<name>-seed<N>-<profile>.pcap", the name cut to [A-Za-z0-9._-] (others become '_').
std::string pcap_path(std::string_view scenario_name, std::uint64_t seed, Profile profile);

// The command line that runs this one scenario, seed and profile again:
// "iscsim run FILE --seed N --profile P" (FILE shell-quoted when it needs it; a built-in
// scenario's FILE is "builtin:<file>.yaml").
// A live run adds " --target URL" and, when it had one, " --target-admin 'CMD'" (quoted).
std::string reproduce_command(std::string_view file, std::uint64_t seed, Profile profile,
                              const std::optional<LiveTarget>& live = std::nullopt);

// "iscsi://HOST:PORT", the endpoint as ScenarioReport::target names it.
std::string target_url(const LiveTarget& live);

// `file` is the scenario file as given on the command line; `live` is the endpoint of a
// --target run. Live runs hold steady-clock times: step and PDU times are made relative to the
// first step's start, so the report shows durations (docs/reports.md, "Live runs"). ScenarioReport::pcap is set only
// when the result holds a capture (RunResult::pcap not empty).
reports::ScenarioReport report_of(const RunResult& result, const Scenario& scenario,
                                  std::string_view file,
                                  const std::optional<LiveTarget>& live = std::nullopt);

}  // namespace iscsi::scenarios::batch
