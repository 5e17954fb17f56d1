// The rules every Login Response must keep (RFC 7143 §11.13), each broken by a hand-built
// response: fatal ones end the login as a protocol failure, warnings let it go on.
#include <gtest/gtest.h>

#include "core/pdu/login_status.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "tests/initiator-impl/login/login_test_util.hpp"

namespace iscsi::initiator::login::testing {
namespace {

using Kind = LoginFailure::Kind;
using Next = LoginStep::Next;

Bytes tpgt() { return test::key_text({{"TargetPortalGroupTag", "1"}}); }

// No CHAP and no operational offers: the first request goes CSG=1 -> NSG=3, and a
// Final-Response with TargetPortalGroupTag completes the login.
struct Started {
  explicit Started(LoginSetup setup = basic_setup(kLab)) : engine(prepare(std::move(setup))) {
    first = engine.start();
  }
  static LoginSetup prepare(LoginSetup setup) {
    setup.policy.offer_keys.clear();
    return setup;
  }
  LoginEngine engine;
  LoginStep first;
};

void expect_protocol_failure(const Started& login, const LoginStep& step, std::string_view id) {
  EXPECT_EQ(step.next, Next::failed) << describe(step);
  ASSERT_TRUE(login.engine.failure());
  EXPECT_EQ(login.engine.failure()->kind, Kind::protocol);
  EXPECT_EQ(login.engine.failure()->violation.id(), id);
  EXPECT_TRUE(step.requests.empty());
}

TEST(InitiatorLoginChecks, AWellFormedFinalResponseCompletesTheLogin) {
  Started login;
  const auto& first = request_of(login.first);
  EXPECT_EQ(first.itt, kItt);
  EXPECT_EQ(first.csg, pdu::Stage::login_operational_negotiation);
  EXPECT_EQ(first.nsg, pdu::Stage::full_feature_phase);
  EXPECT_TRUE(first.transit);
  const auto step = login.engine.on_pdu(response(operational_final(), sn(5), tpgt()));
  EXPECT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_TRUE(step.violations.empty()) << describe(step);
  EXPECT_EQ(login.engine.succeeded()->exp_stat_sn, 6U);
  EXPECT_EQ(login.engine.succeeded()->tsih, kTsih);
}

TEST(InitiatorLoginChecks, AnotherOpcodeDuringTheLoginIsFatal) {
  Started login;
  const auto step = login.engine.on_pdu(test::nop_in_ping({.itt = kItt, .stat_sn = 1}, 7));
  expect_protocol_failure(login, step, "initiator-login.unexpected-pdu");
}

TEST(InitiatorLoginChecks, VersionActiveOtherThanZeroIsFatal) {
  Started login;
  pdu::Pdu bad = response(operational_final(), sn(5), tpgt());
  header_of(bad).version_active = 1;
  expect_protocol_failure(login, login.engine.on_pdu(bad), "initiator-login.bad-version");
}

TEST(InitiatorLoginChecks, IttNotEchoedIsFatal) {
  Started login;
  pdu::Pdu bad = response(operational_final(), sn(5), tpgt());
  header_of(bad).itt = kItt + 1;
  expect_protocol_failure(login, login.engine.on_pdu(bad), "initiator-login.itt-mismatch");
}

TEST(InitiatorLoginChecks, IsidNotEchoedIsFatal) {
  Started login;
  test::LoginParams params = operational_final();
  params.isid = pdu::Isid::make(pdu::IsidType::random, 0, 0x1111, 0x01, 0x0001);
  expect_protocol_failure(login, login.engine.on_pdu(response(params, sn(5), tpgt())),
                          "initiator-login.isid-mismatch");
}

TEST(InitiatorLoginChecks, FinalResponseOfANewSessionWithoutTsihIsFatal) {
  Started login;
  expect_protocol_failure(login, login.engine.on_pdu(response(operational_final(0), sn(5), tpgt())),
                          "initiator-login.tsih-mismatch");
}

TEST(InitiatorLoginChecks, TsihBeforeTheFinalResponseIsFatal) {
  Started login;
  test::LoginParams hold = operational_final(kTsih);
  hold.transit = false;
  hold.nsg = hold.csg;
  expect_protocol_failure(login, login.engine.on_pdu(response(hold, sn(5), tpgt())),
                          "initiator-login.tsih-mismatch");
}

TEST(InitiatorLoginChecks, AddedConnectionSeesTheSessionsTsih) {
  LoginSetup setup = basic_setup(kLab);
  setup.tsih = 0x0033;
  setup.cid = 2;
  Started login(std::move(setup));
  EXPECT_EQ(request_of(login.first).tsih, 0x0033);
  expect_protocol_failure(login,
                          login.engine.on_pdu(response(operational_final(0x0034), sn(5), tpgt())),
                          "initiator-login.tsih-mismatch");

  LoginSetup same = basic_setup(kLab);
  same.tsih = 0x0033;
  Started good(std::move(same));
  // No TargetPortalGroupTag needed on an added connection: the session has it.
  EXPECT_EQ(good.engine.on_pdu(response(operational_final(0x0033), sn(5), {})).next,
            Next::full_feature);
}

TEST(InitiatorLoginChecks, StatSnGapIsAWarningAndTheCountResynchronizes) {
  Started login;
  test::LoginParams hold = operational_final(0);
  hold.transit = false;
  hold.nsg = hold.csg;
  const auto held = login.engine.on_pdu(response(hold, sn(10), tpgt()));
  ASSERT_EQ(held.next, Next::continue_login) << describe(held);
  EXPECT_EQ(request_of(held).exp_stat_sn, 11U);
  EXPECT_TRUE(request_of(held).transit);  // we still ask for full feature phase
  const auto step = login.engine.on_pdu(response(operational_final(), sn(12), {}));
  EXPECT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_TRUE(has_violation(step, "initiator-login.stat-sn-gap"));
  EXPECT_EQ(login.engine.succeeded()->exp_stat_sn, 13U);
}

TEST(InitiatorLoginChecks, ExpCmdSnAndMaxCmdSnSanityAreWarnings) {
  Started login;
  const auto step = login.engine.on_pdu(response(
      operational_final(), {.itt = kItt, .stat_sn = 5, .exp_cmd_sn = 9, .max_cmd_sn = 3}, tpgt()));
  EXPECT_EQ(step.next, Next::full_feature) << describe(step);
  EXPECT_TRUE(has_violation(step, "initiator-login.bad-exp-cmd-sn"));
  EXPECT_TRUE(has_violation(step, "initiator-login.bad-max-cmd-sn"));
}

TEST(InitiatorLoginChecks, TransitAndContinueTogetherAreFatal) {
  Started login;
  test::LoginParams params = operational_final();
  params.continue_ = true;
  expect_protocol_failure(login, login.engine.on_pdu(response(params, sn(5), tpgt())),
                          "initiator-login.transit-and-continue");
}

TEST(InitiatorLoginChecks, CsgOtherThanOursIsFatal) {
  Started login;
  test::LoginParams params = operational_final();
  params.csg = pdu::Stage::security_negotiation;
  expect_protocol_failure(login, login.engine.on_pdu(response(params, sn(5), tpgt())),
                          "initiator-login.stage-mismatch");
}

TEST(InitiatorLoginChecks, ReservedNextStageIsFatal) {
  Started login;
  test::LoginParams params = operational_final();
  params.nsg = pdu::Stage::reserved;
  expect_protocol_failure(login, login.engine.on_pdu(response(params, sn(5), tpgt())),
                          "initiator-login.bad-next-stage");
}

// With CHAP, the first request asks CSG=0 -> NSG=1; the request with CHAP_A has T=0.
struct ChapStarted {
  ChapStarted() : engine(make()) { first = engine.start(); }
  LoginSetup make() {
    LoginSetup setup = chap_setup(kChap);
    setup.rng = &rng;
    return setup;
  }
  test::SeededRng rng{9};
  LoginEngine engine;
  LoginStep first;
};

TEST(InitiatorLoginChecks, NextStageBeyondTheOneWeAskedForIsFatal) {
  ChapStarted login;
  EXPECT_EQ(request_of(login.first).nsg, pdu::Stage::login_operational_negotiation);
  test::LoginParams params;  // CSG 0, T=1
  params.nsg = pdu::Stage::full_feature_phase;
  const auto step =
      login.engine.on_pdu(response(params, sn(5), test::key_text({{"AuthMethod", "None"}})));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(login.engine.failure()->violation.id(), "initiator-login.bad-next-stage");
}

TEST(InitiatorLoginChecks, TransitToARequestWithoutTransitIsFatal) {
  ChapStarted login;
  const auto agreed = login.engine.on_pdu(
      response(security_hold(), sn(5),
               test::key_text({{"AuthMethod", "CHAP"}, {"TargetPortalGroupTag", "1"}})));
  ASSERT_EQ(agreed.next, Next::continue_login) << describe(agreed);
  EXPECT_FALSE(request_of(agreed).transit);
  EXPECT_EQ(text::find_value(text_of(agreed.requests.front()), "CHAP_A"),
            std::optional<std::string_view>("5"));
  test::LoginParams params;  // T=1 towards the operational stage
  const auto step = login.engine.on_pdu(response(params, sn(6), {}));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(login.engine.failure()->violation.id(), "initiator-login.unrequested-transit");
}

TEST(InitiatorLoginChecks, LeavingTheSecurityStageBeforeChapIsDoneFailsLocally) {
  ChapStarted login;
  test::LoginParams params;  // T=1 to NSG 1 without ever agreeing CHAP's exchange
  const auto step = login.engine.on_pdu(response(
      params, sn(5), test::key_text({{"AuthMethod", "CHAP"}, {"TargetPortalGroupTag", "1"}})));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(login.engine.failure()->kind, Kind::local);
  EXPECT_EQ(login.engine.failure()->violation.id(), "initiator-login.authentication-incomplete");
}

TEST(InitiatorLoginChecks, MutualChapTargetChoosingNoneFailsLocally) {
  test::SeededRng rng(10);
  LoginSetup setup = chap_setup(kChap, {5}, std::string(kTargetSecret));
  setup.rng = &rng;
  LoginEngine engine(std::move(setup));
  engine.start();
  const auto step =
      engine.on_pdu(response(security_hold(), sn(5), test::key_text({{"AuthMethod", "None"}})));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(engine.failure()->kind, Kind::local);
}

TEST(InitiatorLoginChecks, StatusResponseEndsTheLoginWithItsStatus) {
  Started login;
  const auto step = login.engine.on_pdu(response(operational_final(0), sn(5),
                                                 test::key_text({{"AuthMethod", "Reject"}}),
                                                 pdu::LoginStatus::authentication_failure));
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_EQ(login.engine.failure()->kind, Kind::target_status);
  EXPECT_EQ(login.engine.failure()->status, std::optional<std::uint16_t>(0x0201));
  EXPECT_TRUE(has_violation(step, "initiator-login.status-with-data"));
  EXPECT_TRUE(step.requests.empty());
}

TEST(InitiatorLoginChecks, UnknownStatusClassIsFatal) {
  Started login;
  const auto step = login.engine.on_pdu(
      response(operational_final(0), sn(5), {}, static_cast<pdu::LoginStatus>(0x0400)));
  expect_protocol_failure(login, step, "initiator-login.unknown-status-class");
  EXPECT_EQ(login.engine.failure()->status, std::optional<std::uint16_t>(0x0400));
}

TEST(InitiatorLoginChecks, MissingTargetPortalGroupTagIsAWarning) {
  Started login;
  const auto step = login.engine.on_pdu(response(operational_final(), sn(5), {}));
  EXPECT_EQ(step.next, Next::full_feature);
  EXPECT_TRUE(has_violation(step, "initiator-login.missing-portal-group-tag"));

  Started discovery(basic_setup(""));
  const auto quiet = discovery.engine.on_pdu(response(operational_final(), sn(5), {}));
  EXPECT_FALSE(has_violation(quiet, "initiator-login.missing-portal-group-tag"));
}

TEST(InitiatorLoginChecks, RedirectionWithAndWithoutTargetAddress) {
  Started login;
  const auto step = login.engine.on_pdu(
      response(operational_final(0), sn(5), test::key_text({{"TargetAddress", "[fe80::1]:3262,4"}}),
               pdu::LoginStatus::target_moved_permanently));
  EXPECT_EQ(step.next, Next::redirected);
  ASSERT_TRUE(login.engine.redirect());
  EXPECT_EQ(login.engine.redirect()->status, 0x0102);
  EXPECT_EQ(login.engine.redirect()->target_address.host, "fe80::1");
  EXPECT_EQ(login.engine.redirect()->target_address.portal_group_tag,
            std::optional<std::uint16_t>(4));

  Started bare;
  const auto failed = bare.engine.on_pdu(
      response(operational_final(0), sn(5), {}, pdu::LoginStatus::target_moved_temporarily));
  expect_protocol_failure(bare, failed, "initiator-login.redirect-without-address");
  EXPECT_EQ(bare.engine.failure()->status, std::optional<std::uint16_t>(0x0101));
}

TEST(InitiatorLoginChecks, TargetOffersInAHeldResponseAreAnsweredInTheNextRequest) {
  Started login;
  test::LoginParams hold = operational_final(0);
  hold.transit = false;
  hold.nsg = hold.csg;
  const auto step = login.engine.on_pdu(response(
      hold, sn(5), test::key_text({{"TargetPortalGroupTag", "1"}, {"MaxBurstLength", "4096"}})));
  ASSERT_EQ(step.next, Next::continue_login) << describe(step);
  // RFC 7143 §13.13: MaxBurstLength is the minimum of both values.
  EXPECT_EQ(text::find_value(text_of(step.requests.front()), "MaxBurstLength"),
            std::optional<std::string_view>("4096"));
  EXPECT_TRUE(request_of(step).transit);
  const auto done = login.engine.on_pdu(response(operational_final(), sn(6), {}));
  ASSERT_EQ(done.next, Next::full_feature) << describe(done);
  EXPECT_EQ(login.engine.succeeded()->session.max_burst_length, 4096U);
  EXPECT_EQ(login.engine.succeeded()->session.first_burst_length, 4096U);  // C059
}

TEST(InitiatorLoginChecks, AnOfferInTheFinalResponseIsFatal) {
  Started login;
  const auto step = login.engine.on_pdu(
      response(operational_final(), sn(5),
               test::key_text({{"TargetPortalGroupTag", "1"}, {"MaxBurstLength", "4096"}})));
  expect_protocol_failure(login, step, "initiator-login.offer-in-final-response");
}

TEST(InitiatorLoginChecks, MalformedTextIsFatal) {
  Started login;
  const Bytes no_nul{'A', '=', 'b'};
  expect_protocol_failure(login, login.engine.on_pdu(response(operational_final(), sn(5), no_nul)),
                          "text.missing-nul");
}

TEST(InitiatorLoginChecks, ALoginThatNeverEndsIsCutOff) {
  Started login;
  test::LoginParams hold = operational_final(0);
  hold.transit = false;
  hold.nsg = hold.csg;
  LoginStep step;
  std::uint32_t stat_sn = 5;
  for (int i = 0; i < 200 && step.next == Next::continue_login; ++i) {
    step = login.engine.on_pdu(response(hold, sn(stat_sn++), {}));
  }
  EXPECT_EQ(stat_sn - 5, 65U);  // kMaxLoginResponses + 1
  expect_protocol_failure(login, step, "initiator-login.too-many-responses");
}

TEST(InitiatorLoginChecks, FrameErrorFailsAndLaterPdusOnlyDrawAWarning) {
  Started login;
  pdu::FrameError error{
      Violation{{"pdu.bad-opcode", "RFC 7143 §11.2.1.2", Severity::fatal}, "opcode 0x3f"}, {}};
  const auto step = login.engine.on_frame_error(error);
  expect_protocol_failure(login, step, "initiator-login.frame-error");
  const auto after = login.engine.on_pdu(response(operational_final(), sn(5), tpgt()));
  EXPECT_TRUE(has_violation(after, "initiator-login.pdu-after-end"));
  EXPECT_TRUE(after.requests.empty());
  EXPECT_EQ(after.next, Next::continue_login);
  EXPECT_TRUE(login.engine.finished());
}

TEST(InitiatorLoginChecks, SetupWithoutInitiatorNameFailsAtStart) {
  LoginSetup setup = basic_setup(kLab);
  setup.initiator_name.clear();
  LoginEngine engine(std::move(setup));
  const auto step = engine.start();
  EXPECT_EQ(step.next, Next::failed);
  EXPECT_TRUE(step.requests.empty());
  EXPECT_EQ(engine.failure()->violation.id(), "initiator-login.bad-setup");
}

}  // namespace
}  // namespace iscsi::initiator::login::testing
