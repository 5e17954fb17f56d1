// The initiator's login engine against the reference target's login engine, in-process: every
// case of the tutorial (no authentication, one-way and mutual CHAP, ACL, unknown target,
// redirection, digests) under the rfc and tgt profiles.
#include <gtest/gtest.h>

#include "core/pdu/login_status.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "tests/initiator-impl/login/login_test_util.hpp"

namespace iscsi::initiator::login::testing {
namespace {

using Profile = target::config::Profile;
using Kind = LoginFailure::Kind;

std::uint16_t failure_status(const LoginEngine& engine) {
  if (!engine.failure() || !engine.failure()->status) return 0;
  return *engine.failure()->status;
}

TEST(InitiatorLoginAgainstTarget, NoAuthenticationLogsInStraightFromTheOperationalStage) {
  test::SeededRng rng(1);
  LoginSetup setup = basic_setup(kLab);
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature);
  ASSERT_TRUE(engine.succeeded());
  const LoginResult& result = *engine.succeeded();
  EXPECT_EQ(result.tsih, kTsih);
  EXPECT_EQ(result.target_portal_group_tag, std::optional<std::uint16_t>(1));
  EXPECT_EQ(result.session.session_type, negotiation::SessionType::normal);
  EXPECT_EQ(result.session.target_name, kLab);
  EXPECT_EQ(result.connection.auth_method, "None");
  EXPECT_EQ(result.cmd_sn, 1U);
  EXPECT_EQ(result.exp_cmd_sn, 1U);
  const auto& final_response = std::get<pdu::LoginResponse>(run.responses.back().header);
  EXPECT_EQ(result.exp_stat_sn, final_response.stat_sn + 1);
  EXPECT_EQ(result.max_cmd_sn, final_response.max_cmd_sn);
  // open-iscsi without credentials: one request, CSG=1 T=1 NSG=3.
  ASSERT_EQ(run.requests.size(), 1U);
  const auto& first = std::get<pdu::LoginRequest>(run.requests.front().header);
  EXPECT_EQ(first.csg, pdu::Stage::login_operational_negotiation);
  EXPECT_TRUE(first.transit);
  EXPECT_EQ(first.nsg, pdu::Stage::full_feature_phase);
  EXPECT_TRUE(run.initiator_violations.empty()) << run.initiator_violations.front().to_string();
  EXPECT_TRUE(run.target_violations.empty()) << run.target_violations.front().to_string();
}

TEST(InitiatorLoginAgainstTarget, DiscoverySessionWithoutAuthentication) {
  LoginEngine engine(basic_setup(""));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature);
  EXPECT_EQ(engine.succeeded()->session.session_type, negotiation::SessionType::discovery);
  const auto pairs = text_of(run.requests.front());
  EXPECT_EQ(text::find_value(pairs, "SessionType"), std::optional<std::string_view>("Discovery"));
  EXPECT_FALSE(text::find_value(pairs, "TargetName"));
  EXPECT_TRUE(run.initiator_violations.empty()) << run.initiator_violations.front().to_string();
}

TEST(InitiatorLoginAgainstTarget, DiscoveryWithChapGoesFromSecurityToFullFeature) {
  target::config::SystemConfig system = lab_config();
  system.discovery_incoming_users = {std::string(kUser)};
  test::SeededRng rng(2);
  LoginSetup setup = chap_setup("");
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target(Profile::rfc, system);
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature) << failure_status(engine);
  EXPECT_EQ(engine.succeeded()->connection.auth_method, "CHAP");
  for (const auto& request : run.requests) {
    EXPECT_EQ(std::get<pdu::LoginRequest>(request.header).csg, pdu::Stage::security_negotiation);
  }
  EXPECT_EQ(std::get<pdu::LoginRequest>(run.requests.front().header).nsg,
            pdu::Stage::full_feature_phase);
}

struct AlgorithmCase {
  std::vector<std::uint8_t> offer;
  const char* chosen;
};

class OneWayChap : public ::testing::TestWithParam<AlgorithmCase> {};

TEST_P(OneWayChap, SucceedsWithTheAlgorithmTheTargetPicks) {
  test::SeededRng rng(3);
  LoginSetup setup = chap_setup(kChap, GetParam().offer);
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature) << failure_status(engine);
  EXPECT_EQ(run.response_value("CHAP_A"), std::optional<std::string>(GetParam().chosen));
  EXPECT_EQ(engine.succeeded()->connection.auth_method, "CHAP");
  // open-iscsi's shape: AuthMethod=CHAP,None with T=1, CHAP_A with T=0, CHAP_N/R with T=1.
  ASSERT_GE(run.requests.size(), 4U);
  EXPECT_EQ(text::find_value(text_of(run.requests[0]), "AuthMethod"),
            std::optional<std::string_view>("CHAP,None"));
  EXPECT_TRUE(std::get<pdu::LoginRequest>(run.requests[0].header).transit);
  EXPECT_FALSE(std::get<pdu::LoginRequest>(run.requests[1].header).transit);
  EXPECT_TRUE(text::find_value(text_of(run.requests[1]), "CHAP_A"));
  EXPECT_TRUE(std::get<pdu::LoginRequest>(run.requests[2].header).transit);
  EXPECT_TRUE(text::find_value(text_of(run.requests[2]), "CHAP_R"));
  EXPECT_TRUE(run.target_violations.empty()) << run.target_violations.front().to_string();
}

INSTANTIATE_TEST_SUITE_P(Algorithms, OneWayChap,
                         ::testing::Values(AlgorithmCase{{5}, "5"}, AlgorithmCase{{6, 5}, "6"},
                                           AlgorithmCase{{7, 5}, "7"}, AlgorithmCase{{8, 5}, "8"}));

TEST(InitiatorLoginAgainstTarget, OneWayChapOfferToATargetWithoutChapAgreesNone) {
  test::SeededRng rng(12);
  LoginSetup setup = chap_setup(kLab);
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature);
  EXPECT_EQ(engine.succeeded()->connection.auth_method, "None");
  EXPECT_FALSE(run.response_value("CHAP_A"));
  EXPECT_EQ(std::get<pdu::LoginRequest>(run.requests.back().header).csg,
            pdu::Stage::login_operational_negotiation);
}

TEST(InitiatorLoginAgainstTarget, OneWayAndMutualChapSucceedUnderTheTgtProfile) {
  test::SeededRng rng(13);
  LoginSetup one_way = chap_setup(kChap);
  one_way.rng = &rng;
  LoginEngine first(std::move(one_way));
  TargetPeer target(Profile::tgt);
  const LoginRun run = target.run(first);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature) << failure_status(first);
  // tgt sends 50-byte challenges: "0x" and 100 hex digits.
  EXPECT_EQ(run.response_value("CHAP_C").value_or("").size(), 102U);

  LoginSetup mutual = chap_setup(kChap, {5}, std::string(kTargetSecret));
  mutual.rng = &rng;
  LoginEngine second(std::move(mutual));
  EXPECT_EQ(target.run(second).next, LoginStep::Next::full_feature);
}

TEST(InitiatorLoginAgainstTarget, MutualChapWithTheRightTargetSecretSucceeds) {
  test::SeededRng rng(4);
  LoginSetup setup = chap_setup(kChap, {5}, std::string(kTargetSecret));
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::full_feature) << failure_status(engine);
  EXPECT_EQ(text::find_value(text_of(run.requests[0]), "AuthMethod"),
            std::optional<std::string_view>("CHAP"));
  EXPECT_EQ(run.response_value("CHAP_N"), std::optional<std::string>(kTargetUser));
}

TEST(InitiatorLoginAgainstTarget, MutualChapWithAWrongTargetSecretFailsLocally) {
  test::SeededRng rng(5);
  LoginSetup setup = chap_setup(kChap, {5}, std::string("not-the-secret"));
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::failed);
  ASSERT_TRUE(engine.failure());
  EXPECT_EQ(engine.failure()->kind, Kind::local);
  EXPECT_FALSE(engine.failure()->status);
  EXPECT_EQ(engine.failure()->violation.id(), "chap.wrong-target-response");
}

TEST(InitiatorLoginAgainstTarget, WrongPasswordIsAuthenticationFailure) {
  test::SeededRng rng(6);
  LoginSetup setup = chap_setup(kChap, {5}, std::nullopt, "wrong-secret-1");
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::failed);
  EXPECT_EQ(engine.failure()->kind, Kind::target_status);
  EXPECT_EQ(failure_status(engine), 0x0201);
  EXPECT_EQ(engine.failure()->violation.id(), "initiator-login.rejected");
}

TEST(InitiatorLoginAgainstTarget, NoCredentialsForAChapTargetIsAuthenticationFailure) {
  LoginEngine engine(basic_setup(kChap));
  TargetPeer target;
  target.run(engine);
  EXPECT_EQ(failure_status(engine), 0x0201);
}

TEST(InitiatorLoginAgainstTarget, AclDenialIs0202UnderRfcAnd0203UnderTgt) {
  LoginEngine rfc_engine(basic_setup(kPrivate));
  TargetPeer rfc_target(Profile::rfc);
  rfc_target.run(rfc_engine);
  EXPECT_EQ(rfc_engine.failure()->kind, Kind::target_status);
  EXPECT_EQ(failure_status(rfc_engine), 0x0202);

  LoginEngine tgt_engine(basic_setup(kPrivate));
  TargetPeer tgt_target(Profile::tgt);
  const LoginRun run = tgt_target.run(tgt_engine);
  EXPECT_EQ(failure_status(tgt_engine), 0x0203);
  // tgt zeroes the header of its failure responses: noted, not fatal.
  EXPECT_TRUE(run.has_initiator_violation("initiator-login.status-isid-mismatch"));

  LoginEngine admitted(basic_setup(kPrivate));
  TargetPeer from_allowed_address(Profile::rfc, lab_config(), 0x7f000002);
  EXPECT_EQ(from_allowed_address.run(admitted).next, LoginStep::Next::full_feature);
}

TEST(InitiatorLoginAgainstTarget, UnknownTargetIsNotFound) {
  LoginEngine engine(basic_setup("iqn.2019-01.com.example:nowhere"));
  TargetPeer target;
  target.run(engine);
  EXPECT_EQ(engine.failure()->kind, Kind::target_status);
  EXPECT_EQ(failure_status(engine), 0x0203);
}

TEST(InitiatorLoginAgainstTarget, TgtBindsSha1ToAlgorithm7AndRefusesTheSha256Answer) {
  test::SeededRng rng(7);
  LoginSetup setup = chap_setup(kChap, {8, 7, 6, 5});
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  TargetPeer target(Profile::tgt);
  const LoginRun run = target.run(engine);
  EXPECT_EQ(run.response_value("CHAP_A"), std::optional<std::string>("7"));
  ASSERT_EQ(run.next, LoginStep::Next::failed);
  EXPECT_EQ(engine.failure()->kind, Kind::target_status);
  EXPECT_EQ(failure_status(engine), 0x0200);
}

TEST(InitiatorLoginAgainstTarget, RedirectionGivesTheTargetAddress) {
  LoginEngine engine(basic_setup(kMoved));
  TargetPeer target;
  const LoginRun run = target.run(engine);
  ASSERT_EQ(run.next, LoginStep::Next::redirected);
  ASSERT_TRUE(engine.redirect());
  EXPECT_EQ(engine.redirect()->status, 0x0101);
  EXPECT_EQ(engine.redirect()->target_address.host, "10.0.0.9");
  EXPECT_EQ(engine.redirect()->target_address.port, 3261);
  EXPECT_FALSE(engine.failure());
  EXPECT_FALSE(engine.succeeded());
}

TEST(InitiatorLoginAgainstTarget, DigestsAreCrc32cWhenBothAllowThem) {
  LoginSetup setup = basic_setup(kLab);
  setup.policy.header_digests = {"CRC32C", "None"};
  setup.policy.data_digests = {"CRC32C", "None"};
  LoginEngine engine(std::move(setup));
  TargetPeer target(Profile::rfc);
  ASSERT_EQ(target.run(engine).next, LoginStep::Next::full_feature);
  EXPECT_EQ(engine.succeeded()->connection.header_digest, negotiation::Digest::crc32c);
  EXPECT_EQ(engine.succeeded()->connection.data_digest, negotiation::Digest::crc32c);
}

TEST(InitiatorLoginAgainstTarget, DigestsStayNoneWhenTheTgtTargetIsNotConfiguredForThem) {
  LoginSetup setup = basic_setup(kLab);
  setup.policy.header_digests = {"CRC32C", "None"};
  setup.policy.data_digests = {"CRC32C", "None"};
  LoginEngine engine(std::move(setup));
  TargetPeer target(Profile::tgt);
  ASSERT_EQ(target.run(engine).next, LoginStep::Next::full_feature);
  EXPECT_EQ(engine.succeeded()->connection.header_digest, negotiation::Digest::none);

  LoginSetup configured = basic_setup(kLab);
  configured.policy.header_digests = {"CRC32C", "None"};
  LoginEngine second(std::move(configured));
  target::config::SystemConfig system = lab_config();
  system.targets[1].params["HeaderDigest"] = "CRC32C";
  TargetPeer tgt_with_digests(Profile::tgt, system);
  ASSERT_EQ(tgt_with_digests.run(second).next, LoginStep::Next::full_feature);
  EXPECT_EQ(second.succeeded()->connection.header_digest, negotiation::Digest::crc32c);
}

TEST(InitiatorLoginAgainstTarget, ConfiguredOperationalValuesAreNegotiated) {
  LoginSetup setup = basic_setup(kLab);
  setup.policy.immediate_data = false;
  setup.policy.initial_r2t = false;
  setup.policy.max_burst_length = 131072;
  setup.policy.first_burst_length = 32768;
  setup.policy.max_recv_data_segment_length = 65536;
  LoginEngine engine(std::move(setup));
  TargetPeer target;
  ASSERT_EQ(target.run(engine).next, LoginStep::Next::full_feature);
  const LoginResult& result = *engine.succeeded();
  EXPECT_FALSE(result.session.immediate_data);  // AND
  EXPECT_TRUE(result.session.initial_r2t);      // OR: the target keeps its Yes
  EXPECT_EQ(result.session.max_burst_length, 131072U);
  EXPECT_EQ(result.session.first_burst_length, 32768U);
  EXPECT_EQ(result.connection.initiator_max_recv_data_segment_length, 65536U);
}

}  // namespace
}  // namespace iscsi::initiator::login::testing
