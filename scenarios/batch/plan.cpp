#include "scenarios/batch/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace iscsi::scenarios::batch {
namespace {

Violation usage_error(std::string detail) { return Violation{kUsageInvalid, std::move(detail)}; }

// A whole decimal number, no sign, no spaces.
bool decimal(std::string_view text, std::uint64_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<std::uint64_t> parse_seed(std::string_view text) {
  std::uint64_t seed = 0;
  if (!decimal(text, seed)) {
    return usage_error(
        fmt::format("--seed {}: expected a whole number from 0 to {}", text, UINT64_MAX));
  }
  return seed;
}

Result<SeedRange> parse_seed_range(std::string_view text) {
  const std::size_t dots = text.find("..");
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (dots == std::string_view::npos || !decimal(text.substr(0, dots), first) ||
      !decimal(text.substr(dots + 2), last)) {
    return usage_error(
        fmt::format("--seeds {}: expected A..B with whole numbers A <= B, e.g. "
                    "--seeds 1..100",
                    text));
  }
  if (first > last) {
    return usage_error(fmt::format("--seeds {}: A must not be greater than B", text));
  }
  if (last - first >= kMaxSeedsPerRange) {
    return usage_error(
        fmt::format("--seeds {}: at most {} seeds in one run", text, kMaxSeedsPerRange));
  }
  return SeedRange{first, last};
}

Result<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  std::uint64_t index = 0;
  std::uint64_t count = 0;
  if (slash == std::string_view::npos || !decimal(text.substr(0, slash), index) ||
      !decimal(text.substr(slash + 1), count)) {
    return usage_error(
        fmt::format("--shard {}: expected K/N, e.g. --shard 2/4 for the second "
                    "of four shards",
                    text));
  }
  if (count == 0 || count > kMaxShards) {
    return usage_error(fmt::format("--shard {}: N must be between 1 and {}", text, kMaxShards));
  }
  if (index == 0 || index > count) {
    return usage_error(fmt::format("--shard {}: K must be between 1 and N", text));
  }
  return Shard{static_cast<unsigned>(index), static_cast<unsigned>(count)};
}

Result<Profile> parse_profile(std::string_view text) {
  for (const Profile profile : {Profile::rfc, Profile::tgt}) {
    if (to_string(profile) == text) return profile;
  }
  return usage_error(fmt::format("--profile {}: expected rfc or tgt", text));
}

std::vector<Profile> default_profiles(const Scenario& scenario) {
  // `profiles:` (docs/scenarios.md); the loader fills it with the target's profile when absent.
  if (scenario.profiles.empty()) return {scenario.target.profile};
  std::vector<Profile> profiles = scenario.profiles;
  std::sort(profiles.begin(), profiles.end());
  profiles.erase(std::unique(profiles.begin(), profiles.end()), profiles.end());
  return profiles;
}

Result<Plan> make_plan(std::vector<LoadedScenario> scenarios, const PlanOptions& options) {
  Plan plan;
  plan.scenarios = std::move(scenarios);
  std::vector<PlanEntry> all;
  for (std::size_t i = 0; i < plan.scenarios.size(); ++i) {
    const Scenario& scenario = plan.scenarios[i].scenario;
    SeedRange seeds{scenario.seed, scenario.seed};
    if (options.seed) seeds = {*options.seed, *options.seed};
    if (options.seeds) seeds = *options.seeds;
    const std::vector<Profile> profiles =
        options.profile ? std::vector<Profile>{*options.profile} : default_profiles(scenario);
    const std::uint64_t runs = (seeds.last - seeds.first + 1) * profiles.size();
    if (runs > kMaxPlanEntries - all.size()) {
      return usage_error(
          fmt::format("the plan has more than {} runs (scenarios x seeds x "
                      "profiles): use fewer seeds or scenarios",
                      kMaxPlanEntries));
    }
    for (std::uint64_t seed = seeds.first;; ++seed) {
      for (const Profile profile : profiles) all.push_back({i, seed, profile});
      if (seed == seeds.last) break;
    }
  }
  const auto key = [&plan](const PlanEntry& entry) {
    return std::tuple<const std::string&, std::uint64_t, Profile>(
        plan.scenarios[entry.scenario].scenario.name, entry.seed, entry.profile);
  };
  std::sort(all.begin(), all.end(),
            [&key](const PlanEntry& a, const PlanEntry& b) { return key(a) < key(b); });
  all.erase(std::unique(all.begin(), all.end()), all.end());
  plan.total_entries = all.size();
  for (std::size_t position = 0; position < all.size(); ++position) {
    if (position % options.shard.count == options.shard.index - 1) {
      plan.entries.push_back(all[position]);
    }
  }
  return plan;
}

}  // namespace iscsi::scenarios::batch
