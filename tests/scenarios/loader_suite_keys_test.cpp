// The keys the built-in suite needs: `profiles:`, `on:` naming several initiators (or all),
// `lun:` naming several LUNs, and the `reject` / `io_error` expectations; their values and
// their errors with exact positions.
#include <gtest/gtest.h>

#include "scenarios/loader.hpp"

namespace iscsi::scenarios {
namespace {

// Two initiators; the first step is on line 11.
constexpr std::string_view kTwoInitiators = R"(name: keys
hosts:
  tgt: {ip: 10.0.0.1}
  c1: {ip: 10.0.0.2}
target: {host: tgt, profile: tgt}
initiators:
  - {host: c1, name: a, initiatorname: iqn.2020-01.com.example:a}
  - {host: c1, name: b, initiatorname: iqn.2020-01.com.example:b}
  - {host: c1, name: c, initiatorname: iqn.2020-01.com.example:c}
steps:
)";

Result<Scenario> load_keys(std::string_view head_extra, std::string_view steps) {
  return load_scenario(std::string(head_extra) + std::string(kTwoInitiators) + std::string(steps),
                       "k.yaml");
}

std::string key_error(std::string_view head_extra, std::string_view steps) {
  Result<Scenario> loaded = load_keys(head_extra, steps);
  if (loaded) return "(loaded)";
  return loaded.error().detail;
}

constexpr std::string_view kWait = "  - wait: 1s\n";

TEST(ScenarioLoaderSuiteKeys, ProfilesDefaultToTheTargetsProfile) {
  Result<Scenario> loaded = load_keys("", kWait);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->profiles, std::vector<Profile>{Profile::tgt});
}

TEST(ScenarioLoaderSuiteKeys, ProfilesListed) {
  Result<Scenario> loaded = load_keys("profiles: [tgt, rfc]\n", kWait);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->profiles, (std::vector<Profile>{Profile::tgt, Profile::rfc}));
  EXPECT_EQ(loaded->target.profile, Profile::tgt);
}

TEST(ScenarioLoaderSuiteKeys, ProfilesErrors) {
  EXPECT_EQ(key_error("profiles: [rfc, rfc]\n", kWait),
            "k.yaml:1:17: 'profiles' names 'rfc' twice");
  EXPECT_EQ(key_error("profiles: []\n", kWait),
            "k.yaml:1:11: 'profiles' lists no profile (expected rfc, tgt or both)");
  EXPECT_EQ(key_error("profiles: rfc\n", kWait),
            "k.yaml:1:11: expected a list for 'profiles', got a value");
  EXPECT_EQ(key_error("profiles: [bsd]\n", kWait),
            "k.yaml:1:12: expected one of: rfc, tgt for 'profiles', got 'bsd'");
}

TEST(ScenarioLoaderSuiteKeys, OnSeveralInitiators) {
  Result<Scenario> loaded = load_keys("", R"(  - on: all
    run: iscsiadm -m session
  - on: [c, a]
    logout: all
    expect: {exit: 0}
  - on: b
    run: iscsiadm -m session
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->steps[0].on_many, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(loaded->steps[0].on, "");
  EXPECT_EQ(loaded->steps[1].on_many, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(loaded->steps[1].expect.exit_code, 0);
  EXPECT_TRUE(loaded->steps[2].on_many.empty());
  EXPECT_EQ(loaded->steps[2].on, "b");
}

TEST(ScenarioLoaderSuiteKeys, OnSeveralInitiatorsErrors) {
  EXPECT_EQ(key_error("", "  - on: [a, z]\n    run: iscsiadm -m session\n"),
            "k.yaml:11:13: unknown initiator 'z' for 'on' of step 1");
  EXPECT_EQ(key_error("", "  - on: [a, a]\n    run: iscsiadm -m session\n"),
            "k.yaml:11:13: 'on' of step 1 names 'a' twice");
  EXPECT_EQ(key_error("", "  - on: []\n    run: iscsiadm -m session\n"),
            "k.yaml:11:9: 'on' of step 1 lists no initiator");
  // Only iscsiadm lines and logouts run on several initiators at once.
  EXPECT_EQ(key_error("", "  - on: [a, b]\n    io: {lun: 1, read: {}}\n"),
            "k.yaml:11:9: expected a single value for 'on' of step 1, got a list");
}

TEST(ScenarioLoaderSuiteKeys, SeveralLuns) {
  Result<Scenario> loaded = load_keys("", R"(  - on: a
    io: {lun: [3, 1, 2], write: {}, verify: {}}
  - on: a
    io: {lun: 4, read: {}}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  const auto& many = std::get<IoStep>(loaded->steps[0].action);
  EXPECT_EQ(many.luns, (std::vector<std::uint64_t>{3, 1, 2}));
  EXPECT_EQ(many.lun, 3U);
  const auto& one = std::get<IoStep>(loaded->steps[1].action);
  EXPECT_EQ(one.luns, std::vector<std::uint64_t>{4});
  EXPECT_EQ(key_error("", "  - on: a\n    io: {lun: [1, 1], read: {}}\n"),
            "k.yaml:12:19: 'lun' of 'io' of step 1 lists LUN 1 twice");
  EXPECT_EQ(key_error("", "  - on: a\n    io: {lun: [], read: {}}\n"),
            "k.yaml:12:15: 'lun' of 'io' of step 1 lists no LUN");
}

TEST(ScenarioLoaderSuiteKeys, RejectAndIoErrorExpectations) {
  Result<Scenario> loaded = load_keys("", R"(  - on: a
    raw_pdu: {opcode: 0x0a}
    expect: {reject: 0x04, stdout_contains: Reject}
    expect_tgt: {reject: 5}
  - on: a
    io: {lun: 1, write: {}}
    expect: {io_error: rejected}
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->steps[0].expect.reject_reason, std::uint8_t{0x04});
  EXPECT_EQ(loaded->steps[0].expect.stdout_contains, std::vector<std::string>{"Reject"});
  EXPECT_EQ(expectation_for(loaded->steps[0], Profile::tgt).reject_reason, std::uint8_t{5});
  EXPECT_EQ(expectation_for(loaded->steps[0], Profile::rfc).reject_reason, std::uint8_t{4});
  EXPECT_EQ(loaded->steps[1].expect.io_error, "rejected");
  EXPECT_EQ(key_error("", "  - on: a\n    run: iscsiadm -m session\n    expect: {reject: 4}\n"),
            "k.yaml:13:14: unknown key 'reject' in 'expect' of step 1 (expected one of: exit, "
            "stdout, stdout_contains, stderr, stderr_contains, login_status, discovered, "
            "violations, session)");
  EXPECT_EQ(key_error("", "  - on: a\n    raw_pdu: {opcode: 1}\n    expect: {reject: 256}\n"),
            "k.yaml:13:22: expected a number from 0 to 255 for 'reject' of 'expect' of step 1, "
            "got '256'");
}

}  // namespace
}  // namespace iscsi::scenarios
