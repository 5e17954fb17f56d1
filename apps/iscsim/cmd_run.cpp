// `iscsim run`: scenarios in the simulator, or against a live target with --target
// (docs/running.md). Loads FILES and DIRS (or the
// built-in suite), plans (scenario, seed, profile) runs, keeps one shard of them, runs them on
// --jobs worker threads with a progress line each, writes junit.xml, report.json,
// report.html, timings.json and one pcap per run under --out, and prints the summary. Exit 0
// when every run passed, 1 when one failed, 2 for a usage or load error (nothing ran then).
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/iscsim/commands.hpp"
#include "reports/writers.hpp"
#include "scenarios/batch/builtin_suite.hpp"
#include "scenarios/batch/execute.hpp"
#include "scenarios/batch/outputs.hpp"
#include "scenarios/batch/plan.hpp"
#include "scenarios/batch/sources.hpp"
#include "scenarios/loader.hpp"
#include "scenarios/runner.hpp"

namespace iscsim {
namespace {

namespace batch = iscsi::scenarios::batch;

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct RunCommandOptions {
  std::vector<std::string> inputs;
  std::string seed;
  std::string seeds;
  std::string profile;
  std::string out = "iscsim-out";
  std::string shard;
  std::string jobs = "1";
  std::string pcap = "all";
  std::string target;
  std::string target_admin;
  bool quiet = false;
  bool list = false;
};

int usage_error(const std::string& detail) {
  std::fprintf(stderr, "iscsim run: %s\n", detail.c_str());
  return kExitUsage;
}

int list_builtin() {
  for (const batch::BuiltinFile& file : batch::builtin_files()) {
    const std::string input = batch::builtin_input_name(file);
    auto loaded = iscsi::scenarios::load_scenario(file.text, input);
    if (!loaded) {
      std::printf("%s  (does not load: %s)\n", input.c_str(), loaded.error().detail.c_str());
      continue;
    }
    std::printf("%s  %s  %s\n", input.c_str(), loaded->name.c_str(), loaded->description.c_str());
  }
  return kExitPassed;
}

// The plan options from the command line; an error is the sentence to print.
iscsi::Result<batch::PlanOptions> plan_options(const RunCommandOptions& options) {
  batch::PlanOptions plan;
  if (!options.seed.empty() && !options.seeds.empty()) {
    return iscsi::Violation{batch::kUsageInvalid,
                            "--seed and --seeds exclude each other: give one seed or one range"};
  }
  if (!options.seed.empty()) {
    auto seed = batch::parse_seed(options.seed);
    if (!seed) return std::move(seed).error();
    plan.seed = *seed;
  }
  if (!options.seeds.empty()) {
    auto seeds = batch::parse_seed_range(options.seeds);
    if (!seeds) return std::move(seeds).error();
    plan.seeds = *seeds;
  }
  if (!options.profile.empty()) {
    auto profile = batch::parse_profile(options.profile);
    if (!profile) return std::move(profile).error();
    plan.profile = *profile;
  }
  if (!options.shard.empty()) {
    auto shard = batch::parse_shard(options.shard);
    if (!shard) return std::move(shard).error();
    plan.shard = *shard;
  }
  return plan;
}

iscsi::Result<unsigned> parse_jobs(const std::string& text) {
  unsigned jobs = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), jobs);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      jobs > batch::kMaxJobs) {
    return iscsi::Violation{batch::kUsageInvalid,
                            fmt::format("--jobs {}: expected a number from 0 (one per hardware "
                                        "thread) to {}",
                                        text, batch::kMaxJobs)};
  }
  return batch::resolve_jobs(jobs);
}

// --target and --target-admin as the runner's LiveTarget (none without --target).
iscsi::Result<std::optional<iscsi::scenarios::LiveTarget>> live_target(
    const RunCommandOptions& options) {
  if (options.target.empty()) {
    if (!options.target_admin.empty()) {
      return iscsi::Violation{batch::kUsageInvalid,
                              "--target-admin needs --target: it configures a live target"};
    }
    return std::optional<iscsi::scenarios::LiveTarget>();
  }
  auto live = iscsi::scenarios::live_target_from_url(options.target, options.target_admin);
  if (!live) return std::move(live).error();
  return std::optional<iscsi::scenarios::LiveTarget>(std::move(live).value());
}

// A live target is one shared endpoint whose configuration the runs change: one run at a time.
unsigned live_jobs(unsigned jobs) {
  if (jobs > 1) {
    std::fprintf(stderr,
                 "iscsim run: note: --target runs one scenario at a time (--jobs 1): the live "
                 "target is one shared endpoint\n");
  }
  return 1;
}

int execute(const batch::Plan& plan, const RunCommandOptions& options, unsigned jobs,
            const std::optional<iscsi::scenarios::LiveTarget>& live) {
  const std::filesystem::path out(options.out);
  if (auto prepared = batch::prepare_out_dir(out); !prepared) {
    return usage_error(prepared.error().detail);
  }
  batch::ExecuteOptions execute_options;
  execute_options.jobs = jobs;
  execute_options.live = live;
  execute_options.capture_pcap = options.pcap != "none";
  execute_options.pcap_failed_only = options.pcap == "failed";
  execute_options.store_pcap = [&out](const iscsi::reports::ScenarioReport& report,
                                      iscsi::ByteView pcap) {
    return batch::write_pcap(out, report, pcap);
  };
  if (!options.quiet) {
    execute_options.on_done = [](const batch::Progress& progress) {
      std::fputs(batch::progress_line(progress).c_str(), stderr);
    };
  }
  const batch::Execution run = batch::execute_plan(plan, execute_options);
  std::fputs(iscsi::reports::console_summary(run.report).c_str(), stdout);
  std::fflush(stdout);
  bool written = run.errors.empty();
  for (const std::string& error : run.errors) {
    std::fprintf(stderr, "iscsim run: %s\n", error.c_str());
  }
  if (auto reports = batch::write_reports(out, run.report, run.timings); !reports) {
    std::fprintf(stderr, "iscsim run: %s\n", reports.error().detail.c_str());
    written = false;
  }
  if (!written) return kExitUsage;
  std::printf("outputs in %s: junit.xml report.json report.html timings.json pcap/\n",
              out.string().c_str());
  return run.report.failed_count() == 0 ? kExitPassed : kExitFailed;
}

int run_command(const RunCommandOptions& options, const std::vector<std::string>& extras) {
  if (!extras.empty()) {
    return usage_error(fmt::format("unknown option {} (see iscsim run --help)", extras.front()));
  }
  if (options.list) return list_builtin();
  auto plan_opts = plan_options(options);
  if (!plan_opts) return usage_error(plan_opts.error().detail);
  auto jobs = parse_jobs(options.jobs);
  if (!jobs) return usage_error(jobs.error().detail);
  auto live = live_target(options);
  if (!live) return usage_error(live.error().detail);
  const unsigned run_jobs = live->has_value() ? live_jobs(*jobs) : *jobs;
  if (options.pcap != "all" && options.pcap != "failed" && options.pcap != "none") {
    return usage_error(fmt::format("--pcap {}: expected all, failed or none", options.pcap));
  }
  auto sources = batch::collect_sources(options.inputs);
  if (!sources) return usage_error(sources.error().detail);
  auto scenarios = batch::load_sources(*sources);
  if (!scenarios) {
    // "FILE:LINE:COLUMN: message" on a line of its own, as compilers print it.
    std::fprintf(stderr, "%s\n", scenarios.error().detail.c_str());
    return kExitUsage;
  }
  auto plan = batch::make_plan(std::move(scenarios).value(), *plan_opts);
  if (!plan) return usage_error(plan.error().detail);
  if (plan->entries.empty() && !options.quiet) {
    std::fprintf(stderr, "iscsim run: shard %s of a plan of %zu runs holds no run\n",
                 options.shard.c_str(), plan->total_entries);
  }
  return execute(*plan, options, run_jobs, *live);
}

}  // namespace

void register_run_command(CLI::App& app) {
  auto options = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand(
      "run",
      "Run scenarios in the simulator (or against a live target: --target): the built-in suite "
      "when no FILE or DIR is given. Prints "
      "a progress line per run on stderr and a summary at the end (with the command that "
      "reproduces each failure); writes junit.xml, report.json, report.html, timings.json and "
      "pcap/<name>-seed<N>-<profile>.pcap (see --pcap) under --out. Exit 0: all passed; 1: a run "
      "failed; "
      "2: usage or scenario-file error (nothing ran). docs/running.md has the details. "
      "Examples:\n"
      "  iscsim run                                  # the built-in suite\n"
      "  iscsim run --list                           # what the built-in suite holds\n"
      "  iscsim run my.yaml --seed 7 --profile tgt   # one scenario, one seed, tgt's quirks\n"
      "  iscsim run scenarios/ --seeds 1..1000 --jobs 0 --pcap failed --shard 2/4 "
      "--out shard-2\n"
      "  iscsim report merge --out all shard-1 shard-2 shard-3 shard-4\n"
      "  iscsim run builtin:tutorial-04-chap-oneway.yaml --target iscsi://127.0.0.1:3261 "
      "--profile tgt --target-admin 'TGTD_CONTROL_PORT=7 bash scripts/tgtd-admin-hook.sh'\n"
      "                                              # against a live target");
  cmd->add_option("inputs", options->inputs,
                  "Scenario files (*.yaml), folders (searched recursively for *.yaml, sorted by "
                  "path) and built-in files (builtin:NAME.yaml, see --list); default: the "
                  "built-in suite")
      ->type_name("FILE|DIR");
  cmd->add_option("--seed", options->seed,
                  "Run every scenario with this seed instead of its own `seed:` (e.g. --seed 7)")
      ->type_name("N");
  cmd->add_option("--seeds", options->seeds,
                  "Run every scenario once per seed of the range A..B, both included, at most "
                  "100000 seeds (e.g. --seeds 1..1000)")
      ->type_name("A..B");
  cmd->add_option("--profile", options->profile,
                  "rfc or tgt: run every scenario under this target profile and its "
                  "expectations, instead of the scenario's own `profiles:` / `target: profile:`")
      ->type_name("rfc|tgt");
  cmd->add_option("--out", options->out,
                  "Output folder, created if missing; files of earlier runs with the same names "
                  "are replaced")
      ->type_name("DIR")
      ->capture_default_str();
  cmd->add_option("--shard", options->shard,
                  "Run only shard K of N (1 <= K <= N): of the runs sorted by scenario name, "
                  "seed and profile, those whose 0-based position is K-1 modulo N. The N shards "
                  "together run everything exactly once; `iscsim report merge` joins their "
                  "--out folders (e.g. --shard 2/4)")
      ->type_name("K/N");
  cmd->add_option("-j,--jobs", options->jobs,
                  "Worker threads, each running whole scenarios; 0: one per hardware thread. "
                  "Reports and pcaps do not depend on it")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--pcap", options->pcap,
                  "Which runs leave a capture under pcap/: all, failed (a sweep of many seeds "
                  "keeps only what needs a look) or none (no capture at all: fastest)")
      ->type_name("all|failed|none")
      ->capture_default_str();
  cmd->add_option("--target", options->target,
                  "Run against a live iSCSI target instead of the simulator (HOST in "
                  "127.0.0.0/8, PORT 3260 when left out); --profile chooses which expectations "
                  "apply; one scenario at a time (docs/running.md, \"Against a live target\")")
      ->type_name("iscsi://HOST[:PORT]");
  cmd->add_option("--target-admin", options->target_admin,
                  "With --target: a shell command that receives each tgtadm line the scenario "
                  "would run on stdin and configures the live target; without it those steps "
                  "are skipped with a note")
      ->type_name("CMD");
  cmd->add_flag("-q,--quiet", options->quiet, "No progress lines, only the summary");
  cmd->add_flag("--list", options->list,
                "List the built-in suite (input name, scenario name, description) and exit");
  cmd->allow_extras();
  cmd->callback([cmd, options] { set_exit_code(run_command(*options, cmd->remaining())); });
}

}  // namespace iscsim
