// The Client against the reference target in the simulator: discovery, CHAP, ACLs, a refused
// connect, redirection, logout, and what the trace saw.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "initiator-impl/client/cdb_builders.hpp"
#include "tests/initiator-impl/client/client_lab.hpp"

namespace iscsi::initiator::client::testing {
namespace {

constexpr std::string_view kDisk = "iqn.2026-01.test.lab:disk";
constexpr std::string_view kPrivate = "iqn.2026-01.test.lab:private";
constexpr std::string_view kChapTarget = "iqn.2026-01.test.lab:chap";
constexpr std::string_view kAclTarget = "iqn.2026-01.test.lab:acl";

void configure_lab(ClientLab& lab) {
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk));
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M");
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 2 -T {}", kPrivate));
  lab.configure("--lld iscsi --op bind --mode target --tid 2 -I 10.9.9.9");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 3 -T {}", kChapTarget));
  lab.configure("--lld iscsi --op bind --mode target --tid 3 -I ALL");
  lab.configure("--lld iscsi --op new --mode account --user labuser --password labsecret123");
  lab.configure("--lld iscsi --op bind --mode account --tid 3 --user labuser");
  lab.configure("--lld iscsi --op new --mode account --user tgtuser --password tgtsecret456");
  lab.configure("--lld iscsi --op bind --mode account --tid 3 --user tgtuser --outgoing");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 4 -T {}", kAclTarget));
  lab.configure("--lld iscsi --op bind --mode target --tid 4 -I 10.0.0.4");
}

std::size_t pdus_in(const test::RecordingTraceSink& trace, runtime::Direction direction) {
  return static_cast<std::size_t>(
      std::count_if(trace.pdus.begin(), trace.pdus.end(),
                    [direction](const auto& pdu) { return pdu.direction == direction; }));
}

chap::OriginatorConfig chap_config(std::string_view secret,
                                   std::optional<std::string_view> target_secret) {
  chap::OriginatorConfig config;
  config.credentials = {"labuser", std::string(secret)};
  if (target_secret) {
    config.target_credentials = chap::Credentials{"tgtuser", std::string(*target_secret)};
  }
  return config;
}

TEST(ClientSim, DiscoveryListsOnlyTheAdmittedTargetsWithTheirPortals) {
  ClientLab lab;
  configure_lab(lab);
  const DiscoveryOutcome outcome = lab.discover(lab.request(""));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  std::vector<std::string> names;
  for (const auto& record : outcome.targets) names.push_back(record.target_name);
  EXPECT_NE(std::find(names.begin(), names.end(), kDisk), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), kChapTarget), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), kPrivate), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), kAclTarget), names.end());
  const auto disk = std::find_if(outcome.targets.begin(), outcome.targets.end(),
                                 [](const auto& record) { return record.target_name == kDisk; });
  ASSERT_EQ(disk->addresses.size(), 1u);
  EXPECT_EQ(disk->addresses[0].host, "10.0.0.2");
  EXPECT_EQ(disk->addresses[0].port, 3260);
  EXPECT_EQ(disk->addresses[0].portal_group_tag, 1);
  // Login, Text and Logout both ways, each seen once by the client's trace.
  EXPECT_GE(pdus_in(lab.client_trace(), runtime::Direction::initiator_to_target), 3u);
  EXPECT_GE(pdus_in(lab.client_trace(), runtime::Direction::target_to_initiator), 3u);
  EXPECT_EQ(pdus_in(lab.client_trace(), runtime::Direction::initiator_to_target),
            pdus_in(lab.target_trace(), runtime::Direction::initiator_to_target));
  EXPECT_TRUE(lab.client_trace().violations.empty());
}

TEST(ClientSim, LoginWithoutCredentialsToAChapTargetFailsWith0201) {
  ClientLab lab;
  configure_lab(lab);
  const LoginOutcome outcome = lab.login(lab.request(kChapTarget));
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error, LoginError::login_failed) << outcome.describe();
  ASSERT_TRUE(outcome.failure.has_value());
  EXPECT_EQ(outcome.failure->kind, login::LoginFailure::Kind::target_status);
  EXPECT_EQ(outcome.failure->status, 0x0201);
  EXPECT_NE(outcome.describe().find("0x0201"), std::string::npos) << outcome.describe();
}

TEST(ClientSim, TheRightChapSecretLogsIn) {
  ClientLab lab;
  configure_lab(lab);
  LoginRequest request = lab.request(kChapTarget);
  request.setup.chap = chap_config("labsecret123", std::nullopt);
  const LoginOutcome outcome = lab.login(request);
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  EXPECT_NE(outcome.session->login_result().tsih, 0);
  EXPECT_EQ(lab.logout(*outcome.session).failure, std::nullopt);
}

TEST(ClientSim, MutualChapWithAWrongTargetSecretFailsLocally) {
  ClientLab lab;
  configure_lab(lab);
  LoginRequest request = lab.request(kChapTarget);
  request.setup.chap = chap_config("labsecret123", "notthesecret1");
  const LoginOutcome outcome = lab.login(request);
  ASSERT_EQ(outcome.error, LoginError::login_failed) << outcome.describe();
  EXPECT_EQ(outcome.failure->kind, login::LoginFailure::Kind::local);
  EXPECT_EQ(outcome.failure->status, std::nullopt);

  request.setup.chap = chap_config("labsecret123", "tgtsecret456");
  EXPECT_TRUE(lab.login(request).ok());
}

TEST(ClientSim, AclDenialIs0202UnderRfcAnd0203UnderTgtAndTheBoundSourceGetsIn) {
  for (const auto& [profile, status] : {std::pair{target::config::Profile::rfc, 0x0202},
                                        std::pair{target::config::Profile::tgt, 0x0203}}) {
    ClientLab lab({.profile = profile});
    configure_lab(lab);
    LoginRequest request = lab.request(kAclTarget);
    const LoginOutcome denied = lab.login(request);
    ASSERT_EQ(denied.error, LoginError::login_failed) << denied.describe();
    EXPECT_EQ(denied.failure->status, status);
    request.source_ipv4 = kSecondInitiatorIpv4;
    const LoginOutcome admitted = lab.login(request);
    ASSERT_TRUE(admitted.ok()) << admitted.describe();
    EXPECT_EQ(admitted.session->key().initiator.ipv4, kSecondInitiatorIpv4);
    EXPECT_EQ(admitted.session->key().target, kPortal);
  }
}

TEST(ClientSim, AClosedPortIsReportedAsRefused) {
  ClientLab lab;
  configure_lab(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisk, {kTargetIpv4, 3261}));
  EXPECT_EQ(outcome.error, LoginError::connect_failed);
  EXPECT_EQ(outcome.transport, runtime::CloseReason::refused);
}

// A portal that accepts and then says nothing, or hangs up at once.
class SilentPortal {
 public:
  SilentPortal(ClientLab& lab, std::uint16_t port, bool hang_up) {
    auto listening = lab.second_target_host().listen(
        {kSecondTargetIpv4, port}, [this, hang_up](std::unique_ptr<runtime::Stream> stream) {
          if (hang_up) stream->shutdown_write();
          streams_.push_back(std::move(stream));
        });
    EXPECT_TRUE(listening.ok());
  }

 private:
  std::vector<std::unique_ptr<runtime::Stream>> streams_;
};

TEST(ClientSim, ALoginThatGetsNoAnswerTimesOut) {
  ClientLab lab;
  SilentPortal silent(lab, 3262, false);
  LoginRequest request = lab.request(kDisk, {kSecondTargetIpv4, 3262});
  request.connection.login_timeout = std::chrono::seconds(3);
  const runtime::TimePoint start = lab.simulator().now();
  const LoginOutcome outcome = lab.login(request);
  EXPECT_EQ(outcome.error, LoginError::login_timeout) << outcome.describe();
  EXPECT_GE(lab.simulator().now() - start, std::chrono::seconds(3));
  ASSERT_EQ(outcome.violations.size(), 1u);
  EXPECT_EQ(outcome.violations[0].id(), "initiator-client.login-timeout");
  // The Login Request went out; nothing came back.
  EXPECT_EQ(pdus_in(lab.client_trace(), runtime::Direction::initiator_to_target), 1u);
  EXPECT_EQ(pdus_in(lab.client_trace(), runtime::Direction::target_to_initiator), 0u);
}

TEST(ClientSim, AConnectionClosedDuringTheLoginIsAFailure) {
  ClientLab lab;
  SilentPortal hang_up(lab, 3263, true);
  const LoginOutcome outcome = lab.login(lab.request(kDisk, {kSecondTargetIpv4, 3263}));
  EXPECT_EQ(outcome.error, LoginError::closed_during_login) << outcome.describe();
  EXPECT_EQ(outcome.transport, runtime::CloseReason::peer_fin);
  ASSERT_FALSE(outcome.violations.empty());
  EXPECT_EQ(outcome.violations.back().id(), "initiator-client.closed-during-login");
}

TEST(ClientSim, LogicalUnitResetAndAbortsOfUnknownCommandsAreAnswered) {
  ClientLab lab;
  configure_lab(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisk));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  std::optional<session::TaskManagementCompleted> reset;
  outcome.session->logical_unit_reset(
      *pdu::Lun::from_number(1),
      [&reset](const session::TaskManagementCompleted& done) { reset = done; });
  ASSERT_TRUE(lab.run_until([&] { return reset.has_value(); }));
  EXPECT_FALSE(reset->failure.has_value());
  EXPECT_EQ(reset->response, pdu::TmfResponse::function_complete);
  std::optional<session::TaskManagementCompleted> abort;
  outcome.session->abort_task(
      12345, [&abort](const session::TaskManagementCompleted& done) { abort = done; });
  ASSERT_TRUE(abort.has_value());
  ASSERT_TRUE(abort->failure.has_value());
  EXPECT_EQ(abort->failure->reason, session::FailureReason::invalid_request);
}

TEST(ClientSim, ARedirectConfiguredOnTheTargetIsFollowed) {
  ClientLab lab;
  configure_lab(lab);
  lab.configure(
      "--lld iscsi --op update --mode target --tid 1 --name RedirectAddress "
      "--value 10.0.0.5");
  lab.configure("--lld iscsi --op update --mode target --tid 1 --name RedirectPort --value 3260");
  lab.configure(
      "--lld iscsi --op update --mode target --tid 1 --name RedirectReason "
      "--value Temporary");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk), true);
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M", true);
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL", true);
  const LoginOutcome outcome = lab.login(lab.request(kDisk));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  ASSERT_EQ(outcome.redirections.size(), 1u);
  EXPECT_EQ(outcome.redirections[0].status, 0x0101);
  EXPECT_EQ(outcome.portal, kSecondPortal);
  EXPECT_EQ(outcome.session->key().target, kSecondPortal);
}

TEST(ClientSim, ARedirectLoopStopsAtTheBound) {
  ClientLab lab;
  configure_lab(lab);
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kDisk), true);
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL", true);
  // Each target sends the initiator to the other one.
  for (const auto& [address, second] :
       {std::pair{"10.0.0.5", false}, std::pair{"10.0.0.2", true}}) {
    lab.configure(fmt::format("--lld iscsi --op update --mode target --tid 1 --name "
                              "RedirectAddress --value {}",
                              address),
                  second);
    lab.configure("--lld iscsi --op update --mode target --tid 1 --name RedirectPort --value 3260",
                  second);
    lab.configure(
        "--lld iscsi --op update --mode target --tid 1 --name RedirectReason "
        "--value Temporary",
        second);
  }
  LoginRequest request = lab.request(kDisk);
  request.max_redirects = 2;
  const LoginOutcome outcome = lab.login(request);
  EXPECT_EQ(outcome.error, LoginError::too_many_redirects) << outcome.describe();
  EXPECT_EQ(outcome.redirections.size(), 3u);
  EXPECT_EQ(outcome.portal, kPortal);  // the third redirection was not followed
}

TEST(ClientSim, LogoutClosesTheSessionAndLaterCommandsAreRefused) {
  ClientLab lab;
  configure_lab(lab);
  const LoginOutcome outcome = lab.login(lab.request(kDisk));
  ASSERT_TRUE(outcome.ok()) << outcome.describe();
  std::vector<SessionEvent::Kind> events;
  outcome.session->set_event_handler(
      [&events](const SessionEvent& event) { events.push_back(event.kind); });
  const session::LogoutCompleted logout = lab.logout(*outcome.session);
  EXPECT_EQ(logout.failure, std::nullopt);
  EXPECT_EQ(logout.response, pdu::LogoutResponseCode::closed_successfully);
  ASSERT_TRUE(lab.run_until([&] { return outcome.session->state() == Session::State::closed; }));
  EXPECT_EQ(events, std::vector<SessionEvent::Kind>{SessionEvent::Kind::closed});
  const session::CommandCompleted refused = lab.command(
      *outcome.session, cdb::no_data_request(*pdu::Lun::from_number(1), cdb::test_unit_ready()));
  ASSERT_TRUE(refused.failure.has_value());
  EXPECT_EQ(refused.failure->reason, session::FailureReason::session_closing);
}

}  // namespace
}  // namespace iscsi::initiator::client::testing
