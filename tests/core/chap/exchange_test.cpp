// Full exchanges, originator engine <-> responder engine, for every algorithm, one-way and
// mutual, hex and base64, with upper-case prefixes on the wire (RFC 7143 §12.1.3, C090, C092).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/chap/originator.hpp"
#include "core/chap/responder.hpp"
#include "tests/core/chap/chap_test_util.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::chap {
namespace {

const Credentials kPeerUser{"iqn.2012-01.com.openeuler:e24f82c5d9d", "initiator-secret-1"};
const Credentials kPeerTarget{"iqn.2019-01.com.aliyun:28329176", "target-secret-22"};

using Relay = std::function<KeyList(KeyList)>;

struct Result2 {
  Step last_originator;
  Step last_responder;
};

// Plays the exchange as the login engine will: originator offer -> responder challenge ->
// originator answer -> responder verdict (-> originator check for mutual CHAP). `relay` may
// rewrite keys on the wire in both directions.
Result2 run_exchange(Originator& originator, Responder& responder, const Relay& relay) {
  Step o = originator.start();
  Step r = responder.receive(relay(o.send));
  if (r.outcome == Outcome::failed) return {o, r};
  o = originator.receive(relay(r.send));
  if (o.outcome == Outcome::failed) return {o, r};
  r = responder.receive(relay(o.send));
  if (r.outcome == Outcome::failed || o.outcome == Outcome::succeeded) return {o, r};
  o = originator.receive(relay(r.send));
  return {o, r};
}

KeyList unchanged(KeyList keys) { return keys; }

struct Case {
  std::uint8_t algorithm;
  Hash hash;
  bool mutual;
  text::BinaryEncoding encoding;
  bool upper_case;
};

std::string describe(const Case& c) {
  return std::to_string(c.algorithm) + (c.mutual ? " mutual" : " one-way") +
         (c.encoding == text::BinaryEncoding::hex ? " hex" : " base64") +
         (c.upper_case ? " upper" : "");
}

TEST(ChapExchange, EveryAlgorithmEncodingAndDirection) {
  test::SeededRng initiator_rng(1);
  test::SeededRng target_rng(2);
  for (const auto& [number, hash] : kStandardAlgorithms) {
    for (const bool mutual : {false, true}) {
      for (const auto encoding : {text::BinaryEncoding::hex, text::BinaryEncoding::base64}) {
        for (const bool upper : {false, true}) {
          const Case c{number, hash, mutual, encoding, upper};
          SCOPED_TRACE(describe(c));
          OriginatorConfig oc;
          oc.credentials = kPeerUser;
          if (mutual) oc.target_credentials = kPeerTarget;
          oc.algorithms = {number, kAlgorithmMd5};
          oc.encoding = encoding;
          ResponderConfig rc;
          rc.accounts = {kPeerUser};
          rc.target_credentials = kPeerTarget;
          rc.profile.encoding = encoding;
          Originator originator(oc, initiator_rng);
          Responder responder(rc, target_rng);
          const Relay relay = upper ? Relay(testing::upper_case_values) : Relay(unchanged);
          const auto result = run_exchange(originator, responder, relay);
          EXPECT_EQ(result.last_responder.outcome, Outcome::succeeded);
          EXPECT_EQ(result.last_originator.outcome, Outcome::succeeded);
          EXPECT_EQ(responder.hash(), hash);
          EXPECT_EQ(originator.hash(), hash);
          EXPECT_EQ(responder.authenticated_name(), kPeerUser.name);
          EXPECT_EQ(responder.mutual(), mutual);
        }
      }
    }
  }
}

TEST(ChapExchange, WrongInitiatorSecretFailsAtTheTarget) {
  test::SeededRng rng(3);
  OriginatorConfig oc;
  oc.credentials = {kPeerUser.name, "not-the-secret"};
  ResponderConfig rc;
  rc.accounts = {kPeerUser};
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  const auto result = run_exchange(originator, responder, unchanged);
  // One-way: the initiator is done, the target says no with 0x0201 (iscsiadm then exits 24).
  EXPECT_EQ(result.last_originator.outcome, Outcome::succeeded);
  ASSERT_EQ(result.last_responder.outcome, Outcome::failed);
  EXPECT_EQ(result.last_responder.failure->violation.id(), "chap.wrong-response");
  EXPECT_EQ(result.last_responder.failure->login_status, 0x0201);
}

TEST(ChapExchange, WrongTargetSecretFailsAtTheInitiator) {
  test::SeededRng rng(4);
  OriginatorConfig oc;
  oc.credentials = kPeerUser;
  oc.target_credentials = Credentials{kPeerTarget.name, "other-target-secret"};
  ResponderConfig rc;
  rc.accounts = {kPeerUser};
  rc.target_credentials = kPeerTarget;
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  const auto result = run_exchange(originator, responder, unchanged);
  EXPECT_EQ(result.last_responder.outcome, Outcome::succeeded);
  ASSERT_EQ(result.last_originator.outcome, Outcome::failed);
  EXPECT_EQ(result.last_originator.failure->violation.id(), "chap.wrong-target-response");
  EXPECT_EQ(result.last_originator.failure->local_report->iscsiadm_exit_code, 19);
}

// C094 from both ends: with one secret both ways, the target refuses first.
TEST(ChapExchange, IdenticalSecretsAreRefusedByTheTarget) {
  test::SeededRng rng(5);
  OriginatorConfig oc;
  oc.credentials = kPeerUser;
  oc.target_credentials = Credentials{kPeerTarget.name, kPeerUser.secret};
  ResponderConfig rc;
  rc.accounts = {kPeerUser};
  rc.target_credentials = Credentials{kPeerTarget.name, kPeerUser.secret};
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  const auto result = run_exchange(originator, responder, unchanged);
  ASSERT_EQ(result.last_responder.outcome, Outcome::failed);
  EXPECT_EQ(result.last_responder.failure->violation.id(), "chap.identical-secrets");
}

// A target whose mutual answer is forwarded unchanged except for one bit (a broken target or a
// man in the middle): the initiator refuses.
TEST(ChapExchange, TamperedMutualAnswerFailsAtTheInitiator) {
  test::SeededRng rng(6);
  OriginatorConfig oc;
  oc.credentials = kPeerUser;
  oc.target_credentials = kPeerTarget;
  ResponderConfig rc;
  rc.accounts = {kPeerUser};
  rc.target_credentials = kPeerTarget;
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  const Relay flip_target_r = [](KeyList keys) {
    for (auto& [name, value] : keys) {
      if (name == "CHAP_R" && value.rfind("0x", 0) == 0 && keys.size() == 2) {
        value.back() = value.back() == '0' ? '1' : '0';
      }
    }
    return keys;
  };
  const auto result = run_exchange(originator, responder, flip_target_r);
  EXPECT_EQ(result.last_responder.outcome, Outcome::succeeded);
  ASSERT_EQ(result.last_originator.outcome, Outcome::failed);
  EXPECT_EQ(result.last_originator.failure->violation.id(), "chap.wrong-target-response");
}

// The tutorial's short secret works end to end, with warnings on both sides.
TEST(ChapExchange, TutorialShortSecretWorks) {
  test::SeededRng rng(7);
  OriginatorConfig oc;
  oc.credentials = {"aliyun", "123456"};
  ResponderConfig rc;
  rc.accounts = {{"aliyun", "123456"}};
  Originator originator(oc, rng);
  Responder responder(rc, rng);
  const Step offer = originator.start();
  const Step challenge = responder.receive(offer.send);
  const Step answer = originator.receive(challenge.send);
  const Step verdict = responder.receive(answer.send);
  EXPECT_EQ(verdict.outcome, Outcome::succeeded);
  ASSERT_EQ(answer.warnings.size(), 1u);
  EXPECT_EQ(answer.warnings[0].id(), "chap.short-secret");
  ASSERT_EQ(verdict.warnings.size(), 1u);
  EXPECT_EQ(verdict.warnings[0].id(), "chap.short-secret");
}

}  // namespace
}  // namespace iscsi::chap
