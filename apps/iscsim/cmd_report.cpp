// `iscsim report merge`: joins the --out folders of `iscsim run --shard K/N` runs into one
// (docs/running.md, Sharding): reads each folder's report.json and timings.json, merges them
// (the same scenario, seed and profile in two shards is an error), copies the pcaps, writes
// junit.xml, report.json, report.html and timings.json, and prints the summary. Exit 0 when
// every run passed, 1 when one failed, 2 when a shard cannot be read or merged.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "apps/iscsim/commands.hpp"
#include "reports/writers.hpp"
#include "scenarios/batch/outputs.hpp"

namespace iscsim {
namespace {

struct MergeOptions {
  std::string out;
  std::vector<std::string> shards;
};

int run_merge(const MergeOptions& options) {
  std::vector<std::filesystem::path> shards(options.shards.begin(), options.shards.end());
  auto merged = iscsi::scenarios::batch::merge_shard_dirs(shards, options.out);
  if (!merged) {
    std::fprintf(stderr, "iscsim report merge: %s\n", merged.error().detail.c_str());
    return 2;
  }
  std::fputs(iscsi::reports::console_summary(*merged).c_str(), stdout);
  return merged->failed_count() == 0 ? 0 : 1;
}

}  // namespace

void register_report_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Work with the outputs of `iscsim run`");
  cmd->require_subcommand(1);
  auto options = std::make_shared<MergeOptions>();
  auto* merge = cmd->add_subcommand(
      "merge",
      "Merge the --out folders of sharded `iscsim run --shard K/N` runs into one: the same "
      "junit.xml, report.json, report.html and pcaps as one unsharded run (timings.json sums "
      "the shards). Exit 0: all passed; 1: a run failed; 2: a shard could not be read or two "
      "shards hold the same run. Example:\n"
      "  iscsim run --shard 1/2 --out s1 && iscsim run --shard 2/2 --out s2\n"
      "  iscsim report merge --out all s1 s2");
  merge->add_option("--out", options->out, "Folder for the merged files (created if missing)")
      ->type_name("DIR")
      ->required();
  merge
      ->add_option("shards", options->shards,
                   "The shards' --out folders, each with report.json, timings.json and pcap/")
      ->type_name("SHARD_DIR")
      ->required();
  merge->callback([options] { set_exit_code(run_merge(*options)); });
}

}  // namespace iscsim
