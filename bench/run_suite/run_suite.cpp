// Times `iscsim run` work without the command line (issue 6, Determinism and speed):
//   suite  the whole built-in suite, --jobs 1, pcaps captured and all four reports rendered:
//          wall seconds (target < 2 s);
//   sweep  the CHAP scenarios (names containing "chap") over seeds 1..N (default 1000), one
//          worker: runs per second on one core (target >= 300).
// Medians of --repeat runs (default 3). Usage: run_suite [--seeds N] [--repeat R]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "reports/writers.hpp"
#include "scenarios/batch/execute.hpp"
#include "scenarios/batch/plan.hpp"
#include "scenarios/batch/sources.hpp"

namespace {

namespace batch = iscsi::scenarios::batch;

struct Figures {
  double seconds = 0;      // wall
  double cpu_seconds = 0;  // the process's CPU time: on a busy machine, the per-core figure
  std::size_t runs = 0;
  std::size_t failed = 0;
  std::size_t report_bytes = 0;  // junit.xml + report.json + report.html + timings.json
  double render_seconds = 0;     // of `seconds`: rendering the four reports
};

// Loads `inputs` (empty: the built-in suite), keeps the scenarios whose name contains `filter`.
std::vector<batch::LoadedScenario> load(const std::vector<std::string>& inputs,
                                        std::string_view filter) {
  auto sources = batch::collect_sources(inputs);
  if (!sources) return {};
  auto loaded = batch::load_sources(*sources);
  if (!loaded) {
    std::fprintf(stderr, "run_suite: %s\n", loaded.error().detail.c_str());
    std::exit(2);
  }
  std::vector<batch::LoadedScenario> kept;
  for (batch::LoadedScenario& scenario : loaded.value()) {
    if (scenario.scenario.name.find(filter) != std::string::npos)
      kept.push_back(std::move(scenario));
  }
  return kept;
}

// One timed `iscsim run`: plan, execute with one worker capturing pcaps, render the reports.
Figures time_run(std::vector<batch::LoadedScenario> scenarios, const batch::PlanOptions& options,
                 bool capture) {
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  auto plan = batch::make_plan(std::move(scenarios), options);
  if (!plan) {
    std::fprintf(stderr, "run_suite: %s\n", plan.error().detail.c_str());
    std::exit(2);
  }
  batch::ExecuteOptions execute;
  execute.jobs = 1;
  execute.capture_pcap = capture;
  execute.store_pcap = [](const iscsi::reports::ScenarioReport&, iscsi::ByteView) {
    return iscsi::success();
  };
  const batch::Execution run = batch::execute_plan(*plan, execute);
  const auto render_start = std::chrono::steady_clock::now();
  std::size_t rendered = iscsi::reports::to_junit_xml(run.report).size();
  rendered += iscsi::reports::to_json(run.report).size();
  rendered += iscsi::reports::to_html(run.report).size();
  rendered += iscsi::reports::to_json(run.timings).size();
  const auto end = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(end - start).count();
  const double render_seconds = std::chrono::duration<double>(end - render_start).count();
  const double cpu_seconds =
      static_cast<double>(std::clock() - cpu_start) / static_cast<double>(CLOCKS_PER_SEC);
  return {seconds,  cpu_seconds,   run.report.scenarios.size(), run.report.failed_count(),
          rendered, render_seconds};
}

Figures median_of(int repeat, const std::vector<batch::LoadedScenario>& scenarios,
                  const batch::PlanOptions& options, bool capture) {
  std::vector<Figures> all;
  for (int i = 0; i < repeat; ++i) all.push_back(time_run(scenarios, options, capture));
  std::sort(all.begin(), all.end(),
            [](const Figures& a, const Figures& b) { return a.seconds < b.seconds; });
  return all[all.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seeds = 1000;
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view option = argv[i];
    if (option == "--seeds") seeds = std::strtoull(argv[i + 1], nullptr, 10);
    if (option == "--repeat") repeat = std::atoi(argv[i + 1]);
  }
  seeds = std::clamp<std::uint64_t>(seeds, 1, batch::kMaxSeedsPerRange);
  repeat = std::clamp(repeat, 1, 100);

  std::vector<batch::LoadedScenario> suite = load({}, "");
  if (suite.empty()) suite = load({ISCSI_SOURCE_DIR "/scenarios/examples"}, "");
  const Figures whole = median_of(repeat, suite, {}, true);
  fmt::print(
      "suite: {} runs ({} failed, {} KiB of reports), {:.3f} s wall ({:.3f} s CPU, reports "
      "rendered in {:.3f} s) with --jobs 1 (median of {}); target < 2 s\n",
      whole.runs, whole.failed, whole.report_bytes / 1024, whole.seconds, whole.cpu_seconds,
      whole.render_seconds, repeat);

  std::vector<batch::LoadedScenario> chap = load({}, "chap");
  if (chap.empty()) chap = load({ISCSI_SOURCE_DIR "/scenarios/examples"}, "chap");
  batch::PlanOptions sweep_options;
  sweep_options.seeds = batch::SeedRange{1, seeds};
  // With pcaps captured (`iscsim run`'s default) and without (`--pcap none`).
  for (const bool capture : {true, false}) {
    const Figures sweep = median_of(repeat, chap, sweep_options, capture);
    fmt::print(
        "chap sweep ({}): {} scenarios x {} seeds = {} runs ({} failed), {:.3f} s wall "
        "({:.3f} s rendering reports), {:.3f} s CPU on one core (median of {}): {:.0f} "
        "scenarios/s per core by wall, {:.0f} by CPU time; target >= 300\n",
        capture ? "pcap all" : "pcap none", chap.size(), seeds, sweep.runs, sweep.failed,
        sweep.seconds, sweep.render_seconds, sweep.cpu_seconds, repeat,
        static_cast<double>(sweep.runs) / sweep.seconds,
        static_cast<double>(sweep.runs) / sweep.cpu_seconds);
  }
  return 0;
}
