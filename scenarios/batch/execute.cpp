#include "scenarios/batch/execute.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <tuple>

#include "scenarios/batch/live_teardown.hpp"
#include "scenarios/batch/report_of.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios::batch {
namespace {

using WallClock = std::chrono::steady_clock;

double seconds_since(WallClock::time_point start) {
  return std::chrono::duration<double>(WallClock::now() - start).count();
}

// What the workers share: the next entry to take, and the results written by index.
class Workload {
 public:
  Workload(const Plan& plan, const ExecuteOptions& options)
      : plan_(plan),
        options_(options),
        reports_(plan.entries.size()),
        timings_(plan.entries.size()) {}

  void work() {
    for (std::size_t i = next_.fetch_add(1); i < plan_.entries.size(); i = next_.fetch_add(1)) {
      run_entry(i);
    }
  }

  Execution finish(double wall_seconds, unsigned jobs) {
    Execution execution;
    execution.report.scenarios = std::move(reports_);
    execution.timings.scenarios = std::move(timings_);
    execution.timings.wall_seconds = wall_seconds;
    execution.timings.jobs = jobs;
    execution.errors = std::move(errors_);
    std::sort(execution.errors.begin(), execution.errors.end());
    return execution;
  }

 private:
  void run_entry(std::size_t i) {
    const PlanEntry& entry = plan_.entries[i];
    const LoadedScenario& loaded = plan_.scenarios[entry.scenario];
    const WallClock::time_point start = WallClock::now();
    reports::ScenarioReport report = run_one(entry, loaded);
    timings_[i] = {report.name, report.seed, report.profile, seconds_since(start)};
    reports_[i] = std::move(report);
    const std::lock_guard lock(mutex_);
    ++done_;
    if (options_.on_done) options_.on_done({done_, plan_.entries.size(), &reports_[i]});
  }

  reports::ScenarioReport run_one(const PlanEntry& entry, const LoadedScenario& loaded) {
    RunOptions run_options;
    run_options.seed = entry.seed;
    run_options.profile = entry.profile;
    run_options.capture_pcap = options_.capture_pcap;
    run_options.live = options_.live;
    try {
      RunResult result = run_scenario(loaded.scenario, run_options);
      reports::ScenarioReport report =
          report_of(result, loaded.scenario, loaded.file, options_.live);
      if (options_.live) tear_down_live_target(loaded.scenario, *options_.live, report);
      store(report, result.pcap);
      return report;
    } catch (const std::exception& error) {
      // Out of memory and the like: one failed run, not a dead process.
      RunResult failed;
      failed.scenario = loaded.scenario.name;
      failed.seed = entry.seed;
      failed.profile = entry.profile;
      failed.setup_error = fmt::format("the runner stopped with an exception: {}", error.what());
      return report_of(failed, loaded.scenario, loaded.file, options_.live);
    }
  }

  void store(reports::ScenarioReport& report, const Bytes& pcap) {
    if (options_.pcap_failed_only && report.passed) report.pcap.clear();
    if (report.pcap.empty() || !options_.store_pcap) return;
    Result<void> stored = options_.store_pcap(report, pcap);
    if (stored.ok()) return;
    const std::lock_guard lock(mutex_);
    errors_.push_back(stored.error().detail);
  }

  const Plan& plan_;
  const ExecuteOptions& options_;
  std::vector<reports::ScenarioReport> reports_;  // by plan index; each written by one worker
  std::vector<reports::ScenarioTiming> timings_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;  // guards done_, errors_ and the on_done calls
  std::size_t done_ = 0;
  std::vector<std::string> errors_;
};

}  // namespace

unsigned resolve_jobs(unsigned requested) {
  if (requested == 0) requested = std::max(1u, std::thread::hardware_concurrency());
  return std::min(requested, kMaxJobs);
}

std::string progress_line(const Progress& progress) {
  const reports::ScenarioReport& report = *progress.report;
  return fmt::format("[{}/{}] {} seed {} {} {}\n", progress.done, progress.total, report.name,
                     report.seed, report.profile, report.passed ? "PASS" : "FAIL");
}

Execution execute_plan(const Plan& plan, const ExecuteOptions& options) {
  const WallClock::time_point start = WallClock::now();
  // No more threads than runs.
  const std::size_t runs = std::max<std::size_t>(plan.entries.size(), 1);
  const auto jobs = static_cast<unsigned>(std::clamp<std::size_t>(options.jobs, 1, runs));
  Workload workload(plan, options);
  {
    std::vector<std::jthread> workers;
    for (unsigned i = 1; i < jobs; ++i) workers.emplace_back([&workload] { workload.work(); });
    workload.work();
  }
  Execution execution = workload.finish(seconds_since(start), std::max(1u, options.jobs));
  reports::sort_scenarios(execution.report);
  // The plan is sorted the same way already; sort the timings alike in case names tie-break
  // differently from the report's order.
  std::sort(execution.timings.scenarios.begin(), execution.timings.scenarios.end(),
            [](const reports::ScenarioTiming& a, const reports::ScenarioTiming& b) {
              return std::tie(a.name, a.seed, a.profile) < std::tie(b.name, b.seed, b.profile);
            });
  return execution;
}

}  // namespace iscsi::scenarios::batch
