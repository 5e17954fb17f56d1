// The originator (initiator role) on its own against hand-written target answers: checklist
// C086, C094-C096, and every way a target's keys can be unusable. All failures are local: no
// Login status, nothing sent, and open-iscsi's exit code 19.
#include "core/chap/originator.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "tests/core/chap/chap_test_util.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::chap {
namespace {

using testing::counting_bytes;
using testing::decode_or_fail;
using testing::find_key;
using testing::key_names;

using testing::kTarget;
using testing::kUser;

using testing::hex;

class OriginatorTest : public ::testing::Test {
 protected:
  static OriginatorConfig config(bool mutual, std::vector<std::uint8_t> algorithms = {5}) {
    OriginatorConfig c;
    c.credentials = kUser;
    if (mutual) c.target_credentials = kTarget;
    c.algorithms = std::move(algorithms);
    return c;
  }

  static KeyList target_challenge(const std::string& algorithm, std::uint8_t id,
                                  const Bytes& challenge) {
    return {{"CHAP_A", algorithm}, {"CHAP_I", std::to_string(id)}, {"CHAP_C", hex(challenge)}};
  }

  // Starts `originator` and feeds it a target challenge; returns the answer step.
  static Step answer(Originator& originator, const KeyList& challenge_keys) {
    const Step offer = originator.start();
    EXPECT_EQ(offer.outcome, Outcome::continue_exchange);
    return originator.receive(challenge_keys);
  }

  // What a correct target answers to the originator's mutual challenge, with `secret`.
  static KeyList target_answer(const Originator& originator, Hash hash,
                               const std::string& secret = kTarget.secret,
                               const std::string& name = kTarget.name) {
    auto r = compute_response(hash, originator.identifier(), secret, originator.challenge());
    EXPECT_TRUE(r.ok());
    return {{"CHAP_N", name}, {"CHAP_R", r.ok() ? hex(*r) : ""}};
  }

  static void expect_local_failure(const Step& step, std::string_view id) {
    ASSERT_EQ(step.outcome, Outcome::failed);
    ASSERT_TRUE(step.failure.has_value());
    EXPECT_EQ(step.failure->violation.id(), id) << step.failure->violation.to_string();
    EXPECT_EQ(step.failure->login_status, 0);
    ASSERT_TRUE(step.failure->local_report.has_value());
    EXPECT_EQ(step.failure->local_report->iscsiadm_exit_code, 19);
    EXPECT_EQ(step.failure->local_report->open_iscsi_login_status, "LOGIN_AUTHENTICATION_FAILED");
    // RFC 7143 §12.1.3: drop the connection without sending anything.
    EXPECT_TRUE(step.send.empty());
  }

  test::SeededRng rng_{7};
};

// open-iscsi's default offer is MD5 only.
TEST_F(OriginatorTest, DefaultOfferIsMd5) {
  OriginatorConfig c;
  c.credentials = kUser;
  Originator originator(c, rng_);
  const Step step = originator.start();
  EXPECT_EQ(step.send, (KeyList{{"CHAP_A", "5"}}));
  EXPECT_TRUE(step.warnings.empty());
  EXPECT_EQ(originator.state(), Originator::State::awaiting_challenge);
}

TEST_F(OriginatorTest, OfferKeepsPreferenceOrder) {
  Originator originator(config(false, {8, 7, 6, 5}), rng_);
  EXPECT_EQ(originator.start().send, (KeyList{{"CHAP_A", "8,7,6,5"}}));
}

// C086: a list without 5 is offered (to test targets) but draws a warning.
TEST_F(OriginatorTest, OfferWithoutMd5Warns) {
  Originator originator(config(false, {7}), rng_);
  const Step step = originator.start();
  EXPECT_EQ(step.send, (KeyList{{"CHAP_A", "7"}}));
  ASSERT_EQ(step.warnings.size(), 1u);
  EXPECT_EQ(step.warnings[0].id(), "chap.algorithm-list-without-md5");
}

TEST_F(OriginatorTest, MisuseIsAFailureNotACrash) {
  {
    Originator originator(config(false, {}), rng_);
    expect_local_failure(originator.start(), "chap.engine-misuse");
  }
  {
    Originator originator(config(false), rng_);
    expect_local_failure(originator.receive({}), "chap.engine-misuse");
  }
  {
    Originator originator(config(false), rng_);
    originator.start();
    expect_local_failure(originator.start(), "chap.engine-misuse");
  }
}

TEST_F(OriginatorTest, OneWayAnswerIsCorrect) {
  Originator originator(config(false), rng_);
  const Bytes challenge = counting_bytes(16, 3);
  const Step step = answer(originator, target_challenge("5", 9, challenge));
  ASSERT_EQ(step.outcome, Outcome::succeeded);
  EXPECT_EQ(key_names(step.send), (std::vector<std::string>{"CHAP_N", "CHAP_R"}));
  EXPECT_EQ(find_key(step.send, "CHAP_N"), "labuser");
  const auto independent = testing::openssl_dgst_hex("md5", 9, kUser.secret, challenge);
  ASSERT_TRUE(independent.has_value());
  EXPECT_EQ(find_key(step.send, "CHAP_R"), "0x" + *independent);
  EXPECT_EQ(originator.state(), Originator::State::succeeded);
}

// tgt sends 50-byte challenges; any length 1..1024 is accepted (short ones with a warning).
TEST_F(OriginatorTest, AcceptsChallengesOfOneTo1024Bytes) {
  const std::pair<std::size_t, std::size_t> cases[] = {
      {1, 1}, {15, 1}, {16, 0}, {50, 0}, {1024, 0}};
  for (const auto& [length, warnings] : cases) {
    Originator originator(config(false), rng_);
    const Step step = answer(originator, target_challenge("5", 1, counting_bytes(length)));
    EXPECT_EQ(step.outcome, Outcome::succeeded) << length;
    EXPECT_EQ(step.warnings.size(), warnings) << length;
  }
}

TEST_F(OriginatorTest, Refuses1025ByteChallenge) {
  Originator originator(config(false), rng_);
  expect_local_failure(answer(originator, target_challenge("5", 1, counting_bytes(1025))),
                       "chap.challenge-too-long");
}

TEST_F(OriginatorTest, TargetRejectFails) {
  Originator originator(config(false), rng_);
  expect_local_failure(answer(originator, {{"CHAP_A", "Reject"}}), "chap.algorithm-rejected");
}

TEST_F(OriginatorTest, AlgorithmNotOfferedOrNotSupportedFails) {
  const std::pair<std::vector<std::uint8_t>, const char*> cases[] = {
      {{5}, "7"}, {{7, 5}, "5,7"}, {{99, 5}, "99"}, {{5}, ""}, {{5}, "md5"}, {{5}, "05 "}};
  for (const auto& [offer, chosen] : cases) {
    Originator originator(config(false, offer), rng_);
    expect_local_failure(answer(originator, target_challenge(chosen, 1, counting_bytes(16))),
                         "chap.unsupported-algorithm");
  }
}

TEST_F(OriginatorTest, MissingOrMalformedChallengeKeysFail) {
  const std::pair<KeyList, const char*> cases[] = {
      {{{"CHAP_I", "1"}, {"CHAP_C", "0x0102"}}, "chap.missing-key"},
      {{{"CHAP_A", "5"}, {"CHAP_C", "0x0102"}}, "chap.missing-key"},
      {{{"CHAP_A", "5"}, {"CHAP_I", "1"}}, "chap.missing-key"},
      {{{"CHAP_A", "5"}, {"CHAP_I", "x"}, {"CHAP_C", "0x0102"}}, "chap.malformed-identifier"},
      {{{"CHAP_A", "5"}, {"CHAP_I", "1"}, {"CHAP_C", "0x"}}, "chap.malformed-challenge"},
      {{{"CHAP_A", "5"}, {"CHAP_A", "5"}}, "chap.duplicate-key"},
      {{{"CHAP_A", "5"}, {"CHAP_I", "1"}, {"CHAP_C", "0x01"}, {"CHAP_N", "t"}},
       "chap.key-out-of-order"},
  };
  for (const auto& [keys, id] : cases) {
    Originator originator(config(false), rng_);
    expect_local_failure(answer(originator, keys), id);
  }
}

TEST_F(OriginatorTest, MutualSendsOwnIdentifierAndChallenge) {
  Originator originator(config(true, {7, 5}), rng_);
  const Bytes target_c = counting_bytes(32);
  const Step step = answer(originator, target_challenge("7", 4, target_c));
  ASSERT_EQ(step.outcome, Outcome::continue_exchange);
  EXPECT_EQ(key_names(step.send),
            (std::vector<std::string>{"CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C"}));
  const Bytes mine = decode_or_fail(*find_key(step.send, "CHAP_C"));
  EXPECT_EQ(mine.size(), 32u);
  EXPECT_NE(mine, target_c);
  EXPECT_EQ(find_key(step.send, "CHAP_I"), std::to_string(originator.identifier()));
  EXPECT_EQ(originator.state(), Originator::State::awaiting_target_response);

  const Step done = originator.receive(target_answer(originator, Hash::sha256));
  EXPECT_EQ(done.outcome, Outcome::succeeded);
  EXPECT_TRUE(done.send.empty());
  EXPECT_EQ(originator.state(), Originator::State::succeeded);
}

// C096: if the random source yields the target's challenge, draw again.
TEST_F(OriginatorTest, NeverReusesTheTargetChallenge) {
  const Bytes target_c = counting_bytes(16, 0x10);
  Bytes script = {0x21};  // identifier of the first draw
  script.insert(script.end(), target_c.begin(), target_c.end());
  script.push_back(0x22);  // identifier of the second draw, then 16 bytes that differ
  const Bytes second = counting_bytes(16, 0x90);
  script.insert(script.end(), second.begin(), second.end());
  test::ScriptedRng scripted(script);
  Originator originator(config(true), scripted);
  const Step step = answer(originator, target_challenge("5", 1, target_c));
  ASSERT_EQ(step.outcome, Outcome::continue_exchange);
  EXPECT_EQ(decode_or_fail(*find_key(step.send, "CHAP_C")), second);
  EXPECT_EQ(find_key(step.send, "CHAP_I"), "34");
}

TEST_F(OriginatorTest, GivesUpWhenTheRandomSourceKeepsRepeating) {
  test::ScriptedRng stuck(Bytes{0xaa});
  Originator originator(config(true), stuck);
  expect_local_failure(answer(originator, target_challenge("5", 1, Bytes(16, 0xaa))),
                       "chap.challenge-draw-failed");
}

// C095: a wrong target answer is a local failure: close, send nothing, exit 19.
TEST_F(OriginatorTest, WrongTargetResponseFails) {
  Originator originator(config(true), rng_);
  answer(originator, target_challenge("5", 1, counting_bytes(16)));
  expect_local_failure(originator.receive(target_answer(originator, Hash::md5, "wrong-secret-1")),
                       "chap.wrong-target-response");
  EXPECT_EQ(originator.state(), Originator::State::failed);
}

// C094: the target answers with the initiator's own secret.
TEST_F(OriginatorTest, TargetAnswerWithOurSecretFails) {
  Originator originator(config(true), rng_);
  answer(originator, target_challenge("5", 1, counting_bytes(16)));
  expect_local_failure(originator.receive(target_answer(originator, Hash::md5, kUser.secret)),
                       "chap.identical-secrets");
}

// Configured with one secret both ways, even a "correct" answer is refused.
TEST_F(OriginatorTest, IdenticalConfiguredSecretsFail) {
  OriginatorConfig c = config(true);
  c.target_credentials->secret = kUser.secret;
  Originator originator(c, rng_);
  answer(originator, target_challenge("5", 1, counting_bytes(16)));
  expect_local_failure(originator.receive(target_answer(originator, Hash::md5, kUser.secret)),
                       "chap.identical-secrets");
}

TEST_F(OriginatorTest, TargetAnswerProblems) {
  struct AnswerCase {
    const char* name;
    std::function<KeyList(const Originator&)> keys;
    const char* id;
  };
  const AnswerCase cases[] = {
      {"no answer at all", [](const Originator&) { return KeyList{}; }, "chap.missing-key"},
      {"no CHAP_R",
       [](const Originator&) {
         return KeyList{{"CHAP_N", "outuser"}};
       },
       "chap.missing-key"},
      {"other name",
       [](const Originator& o) { return target_answer(o, Hash::md5, kTarget.secret, "outuse"); },
       "chap.unexpected-target-name"},
      {"CHAP_A again",
       [](const Originator& o) {
         KeyList k = target_answer(o, Hash::md5);
         k.emplace_back("CHAP_A", "5");
         return k;
       },
       "chap.key-out-of-order"},
      {"short",
       [](const Originator&) {
         return KeyList{{"CHAP_N", "outuser"}, {"CHAP_R", "0x01"}};
       },
       "chap.response-too-short"},
      {"long",
       [](const Originator& o) {
         KeyList k = target_answer(o, Hash::md5);
         k[1].second += "00";
         return k;
       },
       "chap.response-too-long"},
      {"undecodable",
       [](const Originator&) {
         return KeyList{{"CHAP_N", "outuser"}, {"CHAP_R", "0xq"}};
       },
       "chap.malformed-response"},
  };
  for (const AnswerCase& c : cases) {
    SCOPED_TRACE(c.name);
    Originator originator(config(true), rng_);
    answer(originator, target_challenge("5", 1, counting_bytes(16)));
    expect_local_failure(originator.receive(c.keys(originator)), c.id);
  }
}

TEST_F(OriginatorTest, TargetAnswerInBase64WithUpperCasePrefix) {
  Originator originator(config(true), rng_);
  answer(originator, target_challenge("5", 1, counting_bytes(16)));
  auto r =
      compute_response(Hash::md5, originator.identifier(), kTarget.secret, originator.challenge());
  ASSERT_TRUE(r.ok());
  std::string b64 = text::encode_binary_value(*r, text::BinaryEncoding::base64);
  b64[1] = 'B';
  EXPECT_EQ(originator.receive({{"CHAP_N", "outuser"}, {"CHAP_R", b64}}).outcome,
            Outcome::succeeded);
}

TEST_F(OriginatorTest, KeysAfterSuccess) {
  Originator originator(config(false), rng_);
  answer(originator, target_challenge("5", 1, counting_bytes(16)));
  EXPECT_EQ(originator.receive({{"TargetPortalGroupTag", "1"}}).outcome, Outcome::succeeded);
  expect_local_failure(originator.receive({{"CHAP_N", "x"}}), "chap.keys-after-completion");
  // A failed engine keeps its failure.
  expect_local_failure(originator.receive({}), "chap.keys-after-completion");
}

TEST_F(OriginatorTest, ShortSecretsWarnOncePerSecret) {
  OriginatorConfig c;
  c.credentials = {"aliyun", "123456"};
  c.target_credentials = Credentials{"tgt", "654321"};
  Originator originator(c, rng_);
  const Step answered = answer(originator, target_challenge("5", 1, counting_bytes(16)));
  ASSERT_EQ(answered.warnings.size(), 1u);
  EXPECT_EQ(answered.warnings[0].id(), "chap.short-secret");
  EXPECT_NE(answered.warnings[0].detail.find("aliyun"), std::string::npos);
  const Step done = originator.receive(target_answer(originator, Hash::md5, "654321", "tgt"));
  ASSERT_EQ(done.outcome, Outcome::succeeded);
  ASSERT_EQ(done.warnings.size(), 1u);
  EXPECT_NE(done.warnings[0].detail.find("tgt"), std::string::npos);
}

TEST_F(OriginatorTest, ConfiguredChallengeLengthAndEncoding) {
  OriginatorConfig c = config(true);
  c.challenge_length = 50;
  c.encoding = text::BinaryEncoding::base64;
  Originator originator(c, rng_);
  const Step step = answer(originator, target_challenge("5", 1, counting_bytes(16)));
  EXPECT_EQ(find_key(step.send, "CHAP_R")->substr(0, 2), "0b");
  EXPECT_EQ(decode_or_fail(*find_key(step.send, "CHAP_C")).size(), 50u);
}

TEST_F(OriginatorTest, StateNames) {
  EXPECT_EQ(to_string(Originator::State::initial), "initial");
  EXPECT_EQ(to_string(Originator::State::awaiting_challenge), "awaiting_challenge");
  EXPECT_EQ(to_string(Originator::State::awaiting_target_response), "awaiting_target_response");
  EXPECT_EQ(to_string(Originator::State::succeeded), "succeeded");
  EXPECT_EQ(to_string(Originator::State::failed), "failed");
}

}  // namespace
}  // namespace iscsi::chap
