// CHAP in the login engine (RFC 7143 §12.1.3): one-way and mutual CHAP with CHAP_A 5/6/7/8
// against our chap::Originator, the failures and the Login status each profile gives them,
// AuthMethod rules (C041, C081, C082) and CHAP on discovery sessions (C103).
#include <gtest/gtest.h>

#include "core/chap/algorithm.hpp"
#include "core/chap/originator.hpp"
#include "core/chap/violations.hpp"
#include "target-impl/login/login_violations.hpp"
#include "tests/target-impl/login/login_test_util.hpp"

namespace iscsi::target::login::testing {
namespace {

using Next = LoginStep::Next;
using pdu::Stage;

Pairs to_pairs(const chap::KeyList& keys) {
  Pairs out;
  for (const auto& [key, value] : keys) out.emplace_back(key, value);
  return out;
}

chap::KeyList chap_keys(const LoginStep& step) {
  chap::KeyList out;
  for (const auto& pair : response_text(step)) {
    if (pair.key.rfind("CHAP_", 0) == 0) out.emplace_back(pair.key, pair.value);
  }
  return out;
}

// The first request to a CHAP target; the answer agrees CHAP and stays in the stage (T=0).
void agree_chap(Harness& h, std::string_view target = kChap, Pairs identity = {}) {
  if (identity.empty()) identity = normal_identity(target);
  const LoginStep step = h.send(login(security(), with(identity, {{"AuthMethod", "CHAP,None"}})));
  ASSERT_EQ(step.next, Next::continue_login) << describe(step);
  EXPECT_EQ(value_of(step, "AuthMethod"), "CHAP");
  EXPECT_FALSE(header(step).transit);  // RFC 7143 §6.3: not before CHAP completes
}

struct ChapRun {
  LoginStep challenge;
  LoginStep verdict;
};

// CHAP_A round, then the originator's answer with T=1 towards the operational stage.
ChapRun run_chap(Harness& h, chap::Originator& initiator) {
  ChapRun run;
  run.challenge = h.send(login(security(false), to_pairs(initiator.start().send)));
  EXPECT_EQ(run.challenge.next, Next::continue_login) << describe(run.challenge);
  const chap::Step answer = initiator.receive(chap_keys(run.challenge));
  EXPECT_NE(answer.outcome, chap::Outcome::failed);
  run.verdict = h.send(login(security(), to_pairs(answer.send)));
  return run;
}

chap::OriginatorConfig initiator_config(std::uint8_t algorithm, bool mutual) {
  chap::OriginatorConfig config;
  config.credentials = {std::string(kUser), std::string(kUserSecret)};
  if (mutual) config.target_credentials = {std::string(kTargetUser), std::string(kTargetSecret)};
  config.algorithms = {algorithm};
  return config;
}

void finish_login(Harness& h) {
  const LoginStep last = h.send(login(operational(), {{"HeaderDigest", "None"}}));
  ASSERT_EQ(last.next, Next::full_feature) << describe(last);
  EXPECT_EQ(h.engine->succeeded()->chap_user, kUser);
  EXPECT_EQ(h.engine->succeeded()->connection.auth_method, "CHAP");
}

class ChapAlgorithms : public ::testing::TestWithParam<std::uint8_t> {};

TEST_P(ChapAlgorithms, OneWay) {
  Harness h;
  agree_chap(h);
  test::SeededRng rng(3);
  chap::Originator initiator(initiator_config(GetParam(), false), rng);
  const ChapRun run = run_chap(h, initiator);
  EXPECT_EQ(chap_keys(run.challenge).at(0), (chap::KeyValue{"CHAP_A", std::to_string(GetParam())}));
  ASSERT_EQ(run.verdict.next, Next::continue_login) << describe(run.verdict);
  EXPECT_TRUE(header(run.verdict).transit);
  EXPECT_EQ(header(run.verdict).nsg, Stage::login_operational_negotiation);
  EXPECT_TRUE(chap_keys(run.verdict).empty());
  finish_login(h);
}

TEST_P(ChapAlgorithms, Mutual) {
  Harness h;
  agree_chap(h);
  test::SeededRng rng(4);
  chap::Originator initiator(initiator_config(GetParam(), true), rng);
  const ChapRun run = run_chap(h, initiator);
  ASSERT_EQ(run.verdict.next, Next::continue_login) << describe(run.verdict);
  EXPECT_EQ(value_of(run.verdict, "CHAP_N"), kTargetUser);
  // Our initiator checks the target's answer with the target's secret.
  EXPECT_EQ(initiator.receive(chap_keys(run.verdict)).outcome, chap::Outcome::succeeded);
  finish_login(h);
}

INSTANTIATE_TEST_SUITE_P(Login, ChapAlgorithms, ::testing::Values(5, 6, 7, 8));

TEST(LoginChap, WrongSecretOrUnknownUserIs0201InBothProfiles) {
  for (const auto profile : {config::Profile::rfc, config::Profile::tgt}) {
    for (const bool unknown_user : {false, true}) {
      Harness h(profile);
      agree_chap(h);
      test::SeededRng rng(5);
      chap::OriginatorConfig config = initiator_config(5, false);
      if (unknown_user) {
        config.credentials.name = "labuse";  // a prefix of the account name (C088)
      } else {
        config.credentials.secret = "wrongsecret1";
      }
      chap::Originator initiator(config, rng);
      const ChapRun run = run_chap(h, initiator);
      EXPECT_EQ(run.verdict.next, Next::close);
      EXPECT_EQ(status_of(run.verdict), 0x0201);
      EXPECT_TRUE(has_violation(run.verdict, unknown_user ? chap::violations::kUnknownUser.id
                                                          : chap::violations::kWrongResponse.id));
    }
  }
}

TEST(LoginChap, UnsupportedAlgorithmListRfcRejectsTgtSays0200) {
  Harness rfc;
  agree_chap(rfc);
  const LoginStep a = rfc.send(login(security(false), {{"CHAP_A", "99"}}));
  EXPECT_EQ(status_of(a), 0x0201);
  EXPECT_EQ(value_of(a, "CHAP_A"), "Reject");
  Harness tgt(config::Profile::tgt);
  agree_chap(tgt);
  const LoginStep b = tgt.send(login(security(false), {{"CHAP_A", "6"}}));
  EXPECT_EQ(status_of(b), 0x0200);  // tgt 1.0.85, checked live
  EXPECT_EQ(value_of(b, "CHAP_A"), std::nullopt);
  EXPECT_TRUE(has_violation(b, chap::violations::kNoCommonAlgorithm.id));
}

// tgt 1.0.85 binds CHAP_A=7 to SHA-1: a SHA-256 answer is too long (0x0200), a SHA-1 one works.
TEST(LoginChap, TgtProfileAlgorithmSevenIsSha1) {
  Harness bad(config::Profile::tgt);
  agree_chap(bad);
  test::SeededRng rng(6);
  chap::Originator sha256(initiator_config(7, false), rng);
  const ChapRun run = run_chap(bad, sha256);
  EXPECT_EQ(status_of(run.verdict), 0x0200);
  EXPECT_TRUE(has_violation(run.verdict, chap::violations::kResponseTooLong.id));

  Harness good(config::Profile::tgt);
  agree_chap(good);
  const LoginStep challenge = good.send(login(security(false), {{"CHAP_A", "8,7,6,5"}}));
  ASSERT_EQ(value_of(challenge, "CHAP_A"), "7");
  const auto identifier = static_cast<std::uint8_t>(std::stoi(*value_of(challenge, "CHAP_I")));
  auto challenge_bytes = text::decode_binary_value(*value_of(challenge, "CHAP_C"));
  ASSERT_TRUE(challenge_bytes.ok());
  EXPECT_EQ(challenge_bytes->size(), 50U);  // tgt's challenge length
  const auto response =
      chap::compute_response(chap::Hash::sha1, identifier, kUserSecret, *challenge_bytes);
  ASSERT_TRUE(response.ok());
  const LoginStep verdict = good.send(login(
      security(), {{"CHAP_N", std::string(kUser)}, {"CHAP_R", text::encode_binary_value(*response)}}));
  EXPECT_EQ(verdict.next, Next::continue_login) << describe(verdict);
  EXPECT_TRUE(header(verdict).transit);
}

TEST(LoginChap, TgtCountingIdentifierComesFromTheSetup) {
  Harness h(config::Profile::tgt);
  h.chap_identifier = 41;
  h.restart();
  agree_chap(h);
  const LoginStep challenge = h.send(login(security(false), {{"CHAP_A", "5"}}));
  EXPECT_EQ(value_of(challenge, "CHAP_I"), "41");
}

TEST(LoginChap, MutualWithoutTargetAccountIs0201) {
  Harness h;
  h.system.targets[2].outgoing_user.reset();
  h.restart();
  agree_chap(h);
  test::SeededRng rng(8);
  chap::Originator initiator(initiator_config(5, true), rng);
  const ChapRun run = run_chap(h, initiator);
  EXPECT_EQ(status_of(run.verdict), 0x0201);
  EXPECT_TRUE(has_violation(run.verdict, chap::violations::kMutualNotConfigured.id));
}

TEST(LoginChap, KeysOutOfOrderIs0201InBothProfiles) {
  for (const auto& [profile, status] :
       std::vector<std::pair<config::Profile, std::uint16_t>>{{config::Profile::rfc, 0x0201},
                                                              {config::Profile::tgt, 0x0201}}) {
    Harness h(profile);
    agree_chap(h);
    const LoginStep step =
        h.send(login(security(false), {{"CHAP_N", std::string(kUser)}, {"CHAP_R", "0x00"}}));
    EXPECT_EQ(status_of(step), status);
    EXPECT_TRUE(has_violation(step, chap::violations::kKeyOutOfOrder.id));
  }
}

TEST(LoginChap, CsgOneOnChapTargetIs0201) {
  for (const auto profile : {config::Profile::rfc, config::Profile::tgt}) {
    Harness h(profile);  // C041
    const LoginStep step = h.send(login(operational(), normal_identity(kChap)));
    EXPECT_EQ(status_of(step), 0x0201);
    EXPECT_TRUE(has_violation(step, violations::kAuthenticationRequired.id));
    // tgt declared TargetPortalGroupTag before checking the account (capture frame 15).
    EXPECT_EQ(value_of(step, "TargetPortalGroupTag"),
              profile == config::Profile::tgt ? std::optional<std::string>("1") : std::nullopt);
  }
}

TEST(LoginChap, OnlyNoneOfferedGetsRejectAnd0201) {
  Harness h;  // C082
  const LoginStep step =
      h.send(login(security(), with(normal_identity(kChap), {{"AuthMethod", "None"}})));
  EXPECT_EQ(status_of(step), 0x0201);
  EXPECT_EQ(value_of(step, "AuthMethod"), "Reject");
  EXPECT_TRUE(has_violation(step, violations::kAuthenticationRequired.id));
}

TEST(LoginChap, NoAuthMethodOfferedBeforeTransitIs0201) {
  Harness h;
  const LoginStep step = h.send(login(security(), normal_identity(kChap)));
  EXPECT_EQ(status_of(step), 0x0201);
  EXPECT_TRUE(has_violation(step, violations::kAuthenticationRequired.id));
}

TEST(LoginChap, ChapOnlyToATargetWithoutAccountsIs0201) {
  Harness h;
  const LoginStep step =
      h.send(login(security(), with(normal_identity(kLab), {{"AuthMethod", "CHAP"}})));
  EXPECT_EQ(status_of(step), 0x0201);
  EXPECT_EQ(value_of(step, "AuthMethod"), "Reject");
  EXPECT_TRUE(has_violation(step, violations::kNoCommonAuthMethod.id));
  Harness none;  // C081 the other way round: CHAP,None to a target without accounts is None
  const LoginStep agreed =
      none.send(login(security(), with(normal_identity(kLab), {{"AuthMethod", "CHAP,None"}})));
  EXPECT_EQ(value_of(agreed, "AuthMethod"), "None");
  EXPECT_TRUE(header(agreed).transit);
}

TEST(LoginChap, ChapKeysWithoutChapAre0200) {
  Harness h;
  const LoginStep step = h.send(
      login(security(false), with(normal_identity(kLab), {{"AuthMethod", "None"}, {"CHAP_A", "5"}})));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, violations::kUnexpectedAuthKeys.id));
}

TEST(LoginChap, ChapKeysAfterSuccessAre0200) {
  Harness h;  // C102
  agree_chap(h);
  test::SeededRng rng(9);
  chap::Originator initiator(initiator_config(5, false), rng);
  const LoginStep challenge = h.send(login(security(false), to_pairs(initiator.start().send)));
  const chap::Step answer = initiator.receive(chap_keys(challenge));
  ASSERT_EQ(h.send(login(security(false), to_pairs(answer.send))).next, Next::continue_login);
  // A CHAP key not yet sent in this login reaches the responder, which refuses it.
  const LoginStep step = h.send(login(security(false), {{"CHAP_C", "0x0102"}}));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, chap::violations::kKeysAfterCompletion.id)) << describe(step);
}

TEST(LoginChap, RepeatedChapKeyIsADuplicate) {
  Harness h;
  agree_chap(h);
  ASSERT_EQ(h.send(login(security(false), {{"CHAP_A", "5"}})).next, Next::continue_login);
  const LoginStep step = h.send(login(security(false), {{"CHAP_A", "5"}}));
  EXPECT_EQ(status_of(step), 0x0200);
  EXPECT_TRUE(has_violation(step, "text.duplicate-key")) << describe(step);
}

TEST(LoginChap, NoRngIsATargetError) {
  Harness h;
  h.rng.reset();
  h.restart();
  const LoginStep step =
      h.send(login(security(), with(normal_identity(kChap), {{"AuthMethod", "CHAP"}})));
  EXPECT_EQ(status_of(step), 0x0300);
}

TEST(LoginChap, DiscoveryWithDiscoveryAccounts) {
  const Pairs identity{{"InitiatorName", std::string(kInitiator)}, {"SessionType", "Discovery"}};
  Harness refused;
  refused.system.discovery_incoming_users = {std::string(kUser)};
  refused.restart();
  const LoginStep none = refused.send(login(security(), with(identity, {{"AuthMethod", "None"}})));
  EXPECT_EQ(status_of(none), 0x0201);

  Harness h;
  h.system.discovery_incoming_users = {std::string(kUser)};
  h.system.discovery_outgoing_user = std::string(kTargetUser);
  h.restart();
  agree_chap(h, "", identity);
  test::SeededRng rng(10);
  chap::Originator initiator(initiator_config(5, true), rng);
  const ChapRun run = run_chap(h, initiator);
  ASSERT_EQ(run.verdict.next, Next::continue_login) << describe(run.verdict);
  EXPECT_EQ(initiator.receive(chap_keys(run.verdict)).outcome, chap::Outcome::succeeded);
  const LoginStep last = h.send(login(operational(), {}));
  ASSERT_EQ(last.next, Next::full_feature);
  EXPECT_EQ(h.engine->succeeded()->session.session_type, negotiation::SessionType::discovery);
  EXPECT_EQ(h.engine->succeeded()->chap_user, kUser);
}

}  // namespace
}  // namespace iscsi::target::login::testing
