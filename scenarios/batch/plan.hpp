#pragma once
// The plan of one `iscsim run` (docs/running.md, Seeds, profiles and shards): the sorted list
// of (scenario name, seed, profile) runs, cut to one shard.
//
//   auto plan = make_plan(std::move(scenarios), {.seeds = SeedRange{1, 100}, .shard = {2, 4}});
//   for (const PlanEntry& entry : plan->entries) run(plan->scenarios[entry.scenario], entry);
//
// Seeds: --seed N, or --seeds A..B (inclusive), else the scenario's own `seed:`. Profiles:
// --profile P, else the scenario's own (`profiles:`, or `target: profile:`). Entries are sorted by
// name, then seed, then profile (rfc before tgt); shard K/N keeps the entries whose 0-based
// position in that order is K-1 modulo N, so N shards together hold every entry exactly once and
// shard sizes differ by at most one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "scenarios/batch/sources.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios::batch {

// Bounds: seeds in one --seeds range, and runs in one plan (before sharding).
inline constexpr std::uint64_t kMaxSeedsPerRange = 100'000;
inline constexpr std::size_t kMaxPlanEntries = 1'000'000;
inline constexpr unsigned kMaxShards = 1'000'000;

// A bad option value or a plan past the bounds: the command exits 2.
inline constexpr ViolationKind kUsageInvalid{"run.usage", "docs/running.md", Severity::fatal};

struct SeedRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive

  bool operator==(const SeedRange&) const = default;
};

// Shard K of N, 1-based (1 <= K <= N).
struct Shard {
  unsigned index = 1;
  unsigned count = 1;

  bool operator==(const Shard&) const = default;
};

// Parsers of the command-line values; errors are one sentence naming the option and value.
Result<std::uint64_t> parse_seed(std::string_view text);    // "--seed x: ..."
Result<SeedRange> parse_seed_range(std::string_view text);  // "A..B"
Result<Shard> parse_shard(std::string_view text);           // "K/N"
Result<Profile> parse_profile(std::string_view text);       // "rfc" | "tgt"

struct PlanOptions {
  std::optional<std::uint64_t> seed;
  std::optional<SeedRange> seeds;  // with `seed` set as well, `seeds` wins
  std::optional<Profile> profile;
  Shard shard;
};

struct PlanEntry {
  std::size_t scenario = 0;  // index into Plan::scenarios
  std::uint64_t seed = 0;
  Profile profile = Profile::rfc;

  bool operator==(const PlanEntry&) const = default;
};

struct Plan {
  std::vector<LoadedScenario> scenarios;
  std::vector<PlanEntry> entries;  // this shard's, in plan order
  std::size_t total_entries = 0;   // before sharding
};

// The profiles a scenario runs under when --profile is not given: its `profiles:` list, or
// the target's profile; sorted, each once.
std::vector<Profile> default_profiles(const Scenario& scenario);

Result<Plan> make_plan(std::vector<LoadedScenario> scenarios, const PlanOptions& options);

}  // namespace iscsi::scenarios::batch
