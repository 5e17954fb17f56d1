// The whole reference target in the simulator, driven by hand-built initiator PDUs: login,
// discovery, CHAP, ACLs, the tgtadm view of the sessions.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/target-impl/server/initiator_steps.hpp"
#include "tests/target-impl/server/sim_target.hpp"

namespace iscsi::target::server::testing {
namespace {

constexpr std::string_view kChapTarget = "iqn.2026-01.org.example:chap";
constexpr std::string_view kPrivate = "iqn.2026-01.org.example:private";
constexpr std::string_view kByName = "iqn.2026-01.org.example:byname";

// Four targets in the tutorial's shape: open to all, CHAP, bound to another address, bound to
// one initiator name.
void configure_lab(SimTarget& target) {
  const std::vector<std::string> lines{
      fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk),
      "--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 4M",
      "--lld iscsi --op bind --mode target --tid 1 -I ALL",
      fmt::format("--lld iscsi --op new --mode target --tid 2 -T {}", kChapTarget),
      "--lld iscsi --op new --mode logicalunit --tid 2 --lun 1 --bstype ram -b 1M",
      "--lld iscsi --op bind --mode target --tid 2 -I ALL",
      "--lld iscsi --op new --mode account --user labuser --password labsecret123",
      "--lld iscsi --op bind --mode account --tid 2 --user labuser",
      fmt::format("--lld iscsi --op new --mode target --tid 3 -T {}", kPrivate),
      "--lld iscsi --op bind --mode target --tid 3 -I 10.9.9.9",
      fmt::format("--lld iscsi --op new --mode target --tid 4 -T {}", kByName),
      fmt::format("--lld iscsi --op bind --mode target --tid 4 -Q {}", kInitiatorName),
  };
  for (const std::string& line : lines) {
    const config::Reply reply = target.tgtadm(line);
    ASSERT_EQ(reply.exit_code, 0) << line << ": " << reply.err;
  }
}

LoginResult normal_login(RawInitiator& initiator, std::string_view name) {
  EXPECT_TRUE(initiator.connect(kPortal));
  return login(initiator, {.target_name = std::string(name)});
}

TEST(TargetSim, NormalLoginReachesFullFeaturePhaseWithATsih) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  const LoginResult result = normal_login(*initiator, kDisk);
  EXPECT_EQ(result.status, 0);
  EXPECT_TRUE(result.full_feature);
  EXPECT_NE(result.session.tsih, 0);
  EXPECT_EQ(target.server().sessions().size(), 1u);
  // The login is in the trace: Login Request and Response, both ways.
  EXPECT_GE(target.trace().pdus.size(), 2u);
}

TEST(TargetSim, DiscoveryListsOnlyTheTargetsTheInitiatorMayLogInTo) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  ASSERT_TRUE(initiator->connect(kPortal));
  LoginResult result = login(*initiator, {});
  ASSERT_TRUE(result.full_feature) << std::hex << result.status;
  const text::KeyValueList answer = send_targets(*initiator, result.session, "All");
  std::vector<std::string> names;
  for (const text::KeyValue& pair : answer) {
    if (pair.key == "TargetName") names.push_back(pair.value);
  }
  // tid 3 admits only 10.9.9.9: hidden (both profiles hide what refuses the initiator).
  EXPECT_EQ(names, (std::vector<std::string>{std::string(kDisk), std::string(kChapTarget),
                                             std::string(kByName)}));
  EXPECT_EQ(value_or_empty(answer, "TargetAddress"), "10.0.0.2:3260,1");
}

TEST(TargetSim, ChapWithTheRightSecretLogsIn) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  ASSERT_TRUE(initiator->connect(kPortal));
  const LoginResult result =
      login(*initiator, {.target_name = std::string(kChapTarget), .chap_user = "labuser",
                         .chap_secret = "labsecret123"});
  EXPECT_EQ(result.status, 0);
  EXPECT_TRUE(result.full_feature);
}

TEST(TargetSim, ChapWithAWrongSecretGets0201AndTheConnectionCloses) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  ASSERT_TRUE(initiator->connect(kPortal));
  const LoginResult result =
      login(*initiator, {.target_name = std::string(kChapTarget), .chap_user = "labuser",
                         .chap_secret = "wrong-secret"});
  EXPECT_EQ(result.status, 0x0201);
  EXPECT_TRUE(initiator->wait_closed());
  EXPECT_EQ(target.server().sessions().size(), 0u);
}

TEST(TargetSim, ChapRequiredAndOnlyNoneOffered) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  const LoginResult result = normal_login(*initiator, kChapTarget);
  EXPECT_EQ(result.status, 0x0201);
}

TEST(TargetSim, AddressAclDenialIs0202UnderRfc) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  EXPECT_EQ(normal_login(*initiator, kPrivate).status, 0x0202);
}

TEST(TargetSim, AddressAclDenialIs0203UnderTheTgtProfile) {
  SimTarget target({.profile = config::Profile::tgt});
  configure_lab(target);
  auto initiator = target.initiator();
  EXPECT_EQ(normal_login(*initiator, kPrivate).status, 0x0203);
}

TEST(TargetSim, NameAclAdmitsTheBoundNameAndRefusesAnother) {
  SimTarget target;
  configure_lab(target);
  auto bound = target.initiator();
  EXPECT_EQ(normal_login(*bound, kByName).status, 0);
  auto other = target.initiator(true);
  ASSERT_TRUE(other->connect(kPortal));
  const LoginResult refused = login(
      *other, {.initiator_name = std::string(kOtherInitiatorName),
               .target_name = std::string(kByName)});
  EXPECT_EQ(refused.status, 0x0202);
}

TEST(TargetSim, UnknownTargetIs0203) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  EXPECT_EQ(normal_login(*initiator, "iqn.2026-01.org.example:nosuch").status, 0x0203);
}

TEST(TargetSim, TgtadmShowListsTheSessionsAndForceDeleteClosesThem) {
  SimTarget target;
  configure_lab(target);
  auto initiator = target.initiator();
  ASSERT_TRUE(normal_login(*initiator, kDisk).full_feature);
  const config::Reply show = target.tgtadm("--lld iscsi --mode target --op show");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.out.find(std::string("Initiator: ") + std::string(kInitiatorName)),
            std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("IP Address: 10.0.0.1"), std::string::npos) << show.out;
  // A busy target is refused without --force, and closed with it.
  EXPECT_NE(target.tgtadm("--lld iscsi --mode target --op delete --tid 1").exit_code, 0);
  EXPECT_EQ(target.tgtadm("--lld iscsi --mode target --op delete --force --tid 1").exit_code, 0);
  EXPECT_TRUE(initiator->wait_closed());
  EXPECT_EQ(target.server().sessions().size(), 0u);
}

TEST(TargetSim, AConnectionThatNeverLogsInIsClosedAtTheLoginTimeout) {
  SimTarget target;
  configure_lab(target);
  auto idle = target.initiator();
  ASSERT_TRUE(idle->connect(kPortal));
  const runtime::TimePoint connected = target.simulator().now();
  EXPECT_TRUE(idle->wait_closed());
  // DriverSettings::login_timeout (30 s) of virtual time, not earlier.
  EXPECT_GE(target.simulator().now() - connected, std::chrono::seconds(30));
  const std::vector<std::string> ids = target.violation_ids();
  EXPECT_NE(std::find(ids.begin(), ids.end(), "target.login-timeout"), ids.end());
  EXPECT_EQ(target.server().connection_count(), 0u);
}

}  // namespace
}  // namespace iscsi::target::server::testing
