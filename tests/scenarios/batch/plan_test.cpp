// Planning (docs/running.md, Seeds, profiles and shards): option values, the sorted
// (name, seed, profile) list, and shards that together hold every run exactly once.
#include "scenarios/batch/plan.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "scenarios/loader.hpp"

namespace iscsi::scenarios::batch {
namespace {

// A small scenario: `profiles` is the YAML of its profiles key ("" leaves it out).
LoadedScenario tiny(const std::string& name, std::uint64_t seed, const std::string& profiles = "",
                    const std::string& target_profile = "rfc") {
  const std::string text = fmt::format(R"yaml(
name: {}
seed: {}
{}
hosts:
  t: {{ip: 10.0.0.1}}
  c: {{ip: 10.0.0.2}}
target: {{host: t, profile: {}}}
initiator: {{host: c, initiatorname: "iqn.2020-01.test:c"}}
steps:
  - wait: 1ms
)yaml",
                                       name, seed, profiles, target_profile);
  Result<Scenario> loaded = load_scenario(text, name + ".yaml");
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().detail);
  if (!loaded.ok()) return {};
  return {name + ".yaml", std::move(loaded).value()};
}

using PlannedRun = std::tuple<std::string, std::uint64_t, Profile>;

std::vector<PlannedRun> runs_of(const Plan& plan) {
  std::vector<PlannedRun> runs;
  for (const PlanEntry& entry : plan.entries) {
    runs.emplace_back(plan.scenarios[entry.scenario].scenario.name, entry.seed, entry.profile);
  }
  return runs;
}

TEST(BatchPlanOptions, SeedRangeIsInclusiveAndBounded) {
  auto range = parse_seed_range("3..7");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range.value(), (SeedRange{3, 7}));
  EXPECT_TRUE(parse_seed_range("5..5").ok());
  EXPECT_TRUE(parse_seed_range("1..100000").ok());  // exactly the bound
  auto too_many = parse_seed_range("0..100000");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().detail, "--seeds 0..100000: at most 100000 seeds in one run");
  auto reversed = parse_seed_range("7..3");
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.error().detail, "--seeds 7..3: A must not be greater than B");
  for (const char* bad : {"", "7", "1..", "..4", "a..b", "1...4", "-1..3", "1 ..3", "1..3x"}) {
    EXPECT_FALSE(parse_seed_range(bad).ok()) << bad;
  }
}

TEST(BatchPlanOptions, ShardNamesTheRuleItBreaks) {
  auto shard = parse_shard("2/4");
  ASSERT_TRUE(shard.ok());
  EXPECT_EQ(shard.value(), (Shard{2, 4}));
  auto past = parse_shard("3/2");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().detail, "--shard 3/2: K must be between 1 and N");
  auto zero = parse_shard("0/2");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().detail, "--shard 0/2: K must be between 1 and N");
  auto none = parse_shard("1/0");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().detail, "--shard 1/0: N must be between 1 and 1000000");
  for (const char* bad : {"", "2", "2/", "/4", "a/b", "2/4/1", "-1/4"}) {
    EXPECT_FALSE(parse_shard(bad).ok()) << bad;
  }
}

TEST(BatchPlanOptions, SeedAndProfile) {
  EXPECT_EQ(parse_seed("18446744073709551615").value(), UINT64_MAX);
  EXPECT_FALSE(parse_seed("18446744073709551616").ok());
  EXPECT_FALSE(parse_seed("-1").ok());
  EXPECT_EQ(parse_profile("tgt").value(), Profile::tgt);
  auto bad = parse_profile("lio");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "--profile lio: expected rfc or tgt");
}

TEST(BatchPlan, OwnSeedsAndProfilesSortedByName) {
  std::vector<LoadedScenario> scenarios;
  scenarios.push_back(tiny("zeta", 4));
  scenarios.push_back(tiny("alpha", 9, "profiles: [tgt, rfc]"));
  scenarios.push_back(tiny("mid", 2, "", "tgt"));
  auto plan = make_plan(std::move(scenarios), {});
  ASSERT_TRUE(plan.ok()) << plan.error().detail;
  const std::vector<PlannedRun> expected = {{"alpha", 9, Profile::rfc},
                                            {"alpha", 9, Profile::tgt},
                                            {"mid", 2, Profile::tgt},
                                            {"zeta", 4, Profile::rfc}};
  EXPECT_EQ(runs_of(*plan), expected);
  EXPECT_EQ(plan->total_entries, 4U);
}

TEST(BatchPlan, SeedRangeAndProfileOverride) {
  std::vector<LoadedScenario> scenarios;
  scenarios.push_back(tiny("b", 4, "profiles: [rfc, tgt]"));
  scenarios.push_back(tiny("a", 9));
  PlanOptions options;
  options.seed = 100;  // --seeds wins over --seed
  options.seeds = SeedRange{9, 11};
  options.profile = Profile::tgt;
  auto plan = make_plan(std::move(scenarios), options);
  ASSERT_TRUE(plan.ok());
  const std::vector<PlannedRun> expected = {{"a", 9, Profile::tgt},  {"a", 10, Profile::tgt},
                                            {"a", 11, Profile::tgt}, {"b", 9, Profile::tgt},
                                            {"b", 10, Profile::tgt}, {"b", 11, Profile::tgt}};
  EXPECT_EQ(runs_of(*plan), expected);
}

TEST(BatchPlan, SingleSeedOverride) {
  std::vector<LoadedScenario> scenarios;
  scenarios.push_back(tiny("a", 9));
  PlanOptions options;
  options.seed = 0;
  auto plan = make_plan(std::move(scenarios), options);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(runs_of(*plan), (std::vector<PlannedRun>{{"a", 0, Profile::rfc}}));
}

TEST(BatchPlan, ShardsPartitionThePlan) {
  for (unsigned count = 1; count <= 7; ++count) {
    std::multiset<PlannedRun> seen;
    std::size_t smallest = SIZE_MAX;
    std::size_t largest = 0;
    for (unsigned index = 1; index <= count; ++index) {
      std::vector<LoadedScenario> scenarios;
      scenarios.push_back(tiny("x", 1, "profiles: [rfc, tgt]"));
      scenarios.push_back(tiny("y", 1));
      PlanOptions options;
      options.seeds = SeedRange{1, 5};  // 15 runs
      options.shard = {index, count};
      auto plan = make_plan(std::move(scenarios), options);
      ASSERT_TRUE(plan.ok());
      EXPECT_EQ(plan->total_entries, 15U);
      const std::vector<PlannedRun> runs = runs_of(*plan);
      EXPECT_TRUE(std::is_sorted(runs.begin(), runs.end()));
      seen.insert(runs.begin(), runs.end());
      smallest = std::min(smallest, runs.size());
      largest = std::max(largest, runs.size());
    }
    EXPECT_EQ(seen.size(), 15U) << count << " shards";
    EXPECT_EQ(std::set<PlannedRun>(seen.begin(), seen.end()).size(), 15U) << count << " shards";
    EXPECT_LE(largest - smallest, 1U) << count << " shards";
  }
}

TEST(BatchPlan, ShardTakesEveryNthPosition) {
  std::vector<LoadedScenario> scenarios;
  scenarios.push_back(tiny("a", 1));
  PlanOptions options;
  options.seeds = SeedRange{10, 16};
  options.shard = {2, 3};
  auto plan = make_plan(std::move(scenarios), options);
  ASSERT_TRUE(plan.ok());
  // Positions 1 and 4 (0-based) of seeds 10..16.
  EXPECT_EQ(runs_of(*plan),
            (std::vector<PlannedRun>{{"a", 11, Profile::rfc}, {"a", 14, Profile::rfc}}));
}

TEST(BatchPlan, TooManyRunsIsAnError) {
  std::vector<LoadedScenario> scenarios;
  for (int i = 0; i < 11; ++i)
    scenarios.push_back(tiny(fmt::format("s{}", i), 1, "profiles: [rfc, tgt]"));
  PlanOptions options;
  options.seeds = SeedRange{1, 50'000};  // 11 x 2 x 50000 > 1000000
  auto plan = make_plan(std::move(scenarios), options);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().detail.find("more than 1000000 runs"), std::string::npos)
      << plan.error().detail;
}

}  // namespace
}  // namespace iscsi::scenarios::batch
