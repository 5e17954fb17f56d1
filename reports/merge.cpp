// `iscsim report merge` (docs/reports.md, "Shards and merge"): shard reports combined into
// the report one unsharded run would have written.
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "reports/escape.hpp"
#include "reports/wording.hpp"
#include "reports/writers.hpp"

namespace iscsi::reports {
namespace {

std::string shard_name(const std::vector<std::string>& names, std::size_t index) {
  return index < names.size() ? names[index] : fmt::format("shard {}", index + 1);
}

bool same_run(const ScenarioReport& a, const ScenarioReport& b) {
  return std::tie(a.name, a.seed, a.profile) == std::tie(b.name, b.seed, b.profile);
}

// Each scenario with the shard it came from, in merged order: sorting these (stably, so a
// scenario's first shard comes first) puts any two copies of one run next to each other.
struct MergeEntry {
  const ScenarioReport* scenario = nullptr;
  std::size_t shard = 0;
};

std::vector<MergeEntry> merge_entries(const std::vector<RunReport>& shards) {
  std::vector<MergeEntry> entries;
  for (std::size_t shard = 0; shard < shards.size(); ++shard) {
    for (const ScenarioReport& scenario : shards[shard].scenarios) {
      entries.push_back({&scenario, shard});
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const MergeEntry& a, const MergeEntry& b) {
    return std::tie(a.scenario->name, a.scenario->seed, a.scenario->profile) <
           std::tie(b.scenario->name, b.scenario->seed, b.scenario->profile);
  });
  return entries;
}

Violation duplicate_violation(const MergeEntry& first, const MergeEntry& second,
                              const std::vector<std::string>& names) {
  const std::string where = first.shard == second.shard
                                ? fmt::format("twice in {}", shard_name(names, first.shard))
                                : fmt::format("in both {} and {}", shard_name(names, first.shard),
                                              shard_name(names, second.shard));
  return Violation{kMergeDuplicate, one_line(fmt::format("scenario {} is {}",
                                                         scenario_title(*first.scenario), where))};
}

}  // namespace

Result<RunReport> merge(const std::vector<RunReport>& shards,
                        const std::vector<std::string>& shard_names) {
  const std::vector<MergeEntry> entries = merge_entries(shards);
  RunReport merged;
  merged.scenarios.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && same_run(*entries[i - 1].scenario, *entries[i].scenario)) {
      return duplicate_violation(entries[i - 1], entries[i], shard_names);
    }
    merged.scenarios.push_back(*entries[i].scenario);
  }
  return merged;
}

Timings merge(const std::vector<Timings>& shards) {
  Timings merged;
  merged.wall_seconds = 0;
  merged.jobs = 0;
  for (const Timings& shard : shards) {
    merged.wall_seconds += shard.wall_seconds;
    merged.jobs += shard.jobs;
    merged.scenarios.insert(merged.scenarios.end(), shard.scenarios.begin(), shard.scenarios.end());
  }
  if (shards.empty()) merged.jobs = 1;
  // The wall time breaks ties so the order never depends on the order of the shards.
  std::stable_sort(merged.scenarios.begin(), merged.scenarios.end(),
                   [](const ScenarioTiming& a, const ScenarioTiming& b) {
                     return std::tie(a.name, a.seed, a.profile, a.wall_seconds) <
                            std::tie(b.name, b.seed, b.profile, b.wall_seconds);
                   });
  return merged;
}

}  // namespace iscsi::reports
