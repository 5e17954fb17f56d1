// Per-profile expectations: an IP ACL denial is exit 24 with 0x0202 under the rfc profile and
// exit 19 with 0x0203 under tgt; one scenario says both, and the run takes the profile's. And
// what both profiles share: tgtadm's I_T nexus numbers.
#include <gtest/gtest.h>

#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::load_inline;

RunOptions profile_options(Profile profile) {
  RunOptions options;
  options.profile = profile;
  return options;
}

constexpr std::string_view kAclDenial = R"yaml(
name: acl-denial
seed: 5
hosts:
  target: {ip: 10.0.0.2}
  client: {ip: 10.0.0.1}
target:
  host: target
  tgtadm:
    - tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2026-01.test:private
    - tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --bstype ram --backing-store 8M
    - tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address 10.9.9.9
initiator:
  host: client
  initiatorname: iqn.2026-01.test:client
steps:
  - name: the refused target is absent from discovery
    run: iscsiadm -m discovery -t st -p 10.0.0.2
    expect: {discovered: []}
  - run: iscsiadm -m node -o new -T iqn.2026-01.test:private -p 10.0.0.2:3260
    expect: {exit: 0}
  - run: iscsiadm -m node -T iqn.2026-01.test:private -p 10.0.0.2:3260 -l
    expect: {exit: 24, login_status: 0x0202, stderr_contains: "iSCSI login failed", session: absent}
    expect_tgt:
      exit: 19
      login_status: 0x0203
      stderr_contains: "non-retryable iSCSI login failure"
)yaml";

TEST(ScenarioRunnerProfiles, AclDenialUnderRfc) {
  const RunResult result = run_scenario(load_inline(kAclDenial), profile_options(Profile::rfc));
  EXPECT_TRUE(result.passed) << describe(result);
  EXPECT_EQ(result.profile, Profile::rfc);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[2].output.exit_code, 24);
  EXPECT_EQ(result.steps[2].output.login_status, std::uint16_t{0x0202});
}

TEST(ScenarioRunnerProfiles, AclDenialUnderTgt) {
  const RunResult result = run_scenario(load_inline(kAclDenial), profile_options(Profile::tgt));
  EXPECT_TRUE(result.passed) << describe(result);
  EXPECT_EQ(result.profile, Profile::tgt);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[2].output.exit_code, 19);
  EXPECT_EQ(result.steps[2].output.login_status, std::uint16_t{0x0203});
}

TEST(ScenarioRunnerProfiles, TheOtherProfilesExpectationFails) {
  // Under tgt the rfc expectation (exit 24, 0x0202) would not hold: only the override saves it.
  std::string text(kAclDenial);
  text.erase(text.find("    expect_tgt:"));
  const RunResult result = run_scenario(load_inline(text), profile_options(Profile::tgt));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[2].failures,
            (std::vector<std::string>{
                "expected exit 24, got 19",
                "expected stderr to contain \"iSCSI login failed\", got \"iscsiadm: Could not "
                "login to [iface: default, target: iqn.2026-01.test:private, portal: "
                "10.0.0.2,3260].\\niscsiadm: initiator reported error (19 - encountered "
                "non-retryable iSCSI login failure)\\niscsiadm: Could not log into all "
                "portals\\niscsiadm: target answered Login status 0x0203 (Not found: the "
                "requested target name does not exist at this address)\"",
                "expected login_status 0x0202, got 0x0203"}));
}

// tgtadm numbers I_T nexuses as tgt numbers its normal sessions' TSIHs: a discovery session
// takes no number (tgt 1.0.85 gives it the dummy TSIH 1), under either profile.
constexpr std::string_view kNexusNumbers = R"yaml(
name: nexus-numbers
hosts:
  target: {ip: 10.0.0.2}
  client: {ip: 10.0.0.1}
target:
  host: target
  tgtadm:
    - tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2026-01.test:disk
    - tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --backing-store ram:8M
    - tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address ALL
initiator:
  host: client
  initiatorname: iqn.2026-01.test:client
steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2
    expect: {exit: 0}
  - run: iscsiadm -m node -T iqn.2026-01.test:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0}
  - run: tgtadm --lld iscsi --mode target --op show
    expect: {stdout_contains: "I_T nexus information:\n        I_T nexus: 1\n"}
  - run: iscsiadm -m node -T iqn.2026-01.test:disk -p 10.0.0.2:3260 -u
    expect: {exit: 0}
  - run: iscsiadm -m discovery -t st -p 10.0.0.2
    expect: {exit: 0}
  - run: iscsiadm -m node -T iqn.2026-01.test:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0}
  - run: tgtadm --lld iscsi --mode target --op show
    expect: {stdout_contains: "I_T nexus information:\n        I_T nexus: 2\n"}
)yaml";

TEST(ScenarioRunnerProfiles, DiscoverySessionsTakeNoNexusNumber) {
  for (const Profile profile : {Profile::rfc, Profile::tgt}) {
    const RunResult result = run_scenario(load_inline(kNexusNumbers), profile_options(profile));
    EXPECT_TRUE(result.passed) << describe(result);
  }
}

}  // namespace
}  // namespace iscsi::scenarios
