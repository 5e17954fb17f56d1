#pragma once
// Runs a Plan on worker threads (docs/running.md, Jobs). Each worker takes the next entry and
// runs the whole scenario in its own simulated world: worlds share nothing (the simulator,
// target and initiator hold no global or static mutable state), so results do not depend on
// --jobs. Progress is reported in completion order; the reports come back in plan order.
//
//   Execution run = execute_plan(plan, {.jobs = 2, .on_done = [](const Progress& p) {
//     std::fputs(progress_line(p).c_str(), stderr); }});
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "reports/model.hpp"
#include "scenarios/batch/plan.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios::batch {

inline constexpr unsigned kMaxJobs = 256;

// --jobs N: 0 means one per hardware thread; at most kMaxJobs.
unsigned resolve_jobs(unsigned requested);

// One finished run, as the progress callback sees it (in completion order).
struct Progress {
  std::size_t done = 0;   // runs finished so far, this one included
  std::size_t total = 0;  // runs in the plan
  const reports::ScenarioReport* report = nullptr;
};

// "[12/40] chap-one-way seed 3 rfc PASS" with a newline.
std::string progress_line(const Progress& progress);

struct ExecuteOptions {
  unsigned jobs = 1;         // worker threads (resolved: at least 1)
  bool capture_pcap = true;  // ask the runner for RunResult::pcap
  // --target: every run goes to this live endpoint instead of the simulator (jobs must be 1:
  // the endpoint is one shared target whose configuration the runs change).
  std::optional<LiveTarget> live;
  // Keep the capture of failed runs only (`--pcap failed`): a passed run's report names no
  // pcap and store_pcap is not called for it.
  bool pcap_failed_only = false;
  // Called on the worker thread for every run whose capture is not empty, with
  // ScenarioReport::pcap set; an error is collected into Execution::errors.
  std::function<Result<void>(const reports::ScenarioReport&, ByteView pcap)> store_pcap;
  // Called once per finished run, one call at a time, in completion order.
  std::function<void(const Progress&)> on_done;
};

struct Execution {
  reports::RunReport report;        // sorted by (name, seed, profile)
  reports::Timings timings;         // wall-clock figures, sorted likewise
  std::vector<std::string> errors;  // store_pcap failures, sorted
};

Execution execute_plan(const Plan& plan, const ExecuteOptions& options);

}  // namespace iscsi::scenarios::batch
