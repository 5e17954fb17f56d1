// The responder (target role) on its own: each failure case of checklist C083-C102 that a target
// must detect, with the Login status it answers (RFC 7143 §12.1.3, §11.13.5).
#include "core/chap/responder.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/chap/violations.hpp"
#include "tests/core/chap/chap_test_util.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::chap {
namespace {

using testing::decode_or_fail;
using testing::find_key;
using testing::key_names;

using testing::kTarget;
using testing::kUser;

class ResponderTest : public ::testing::Test {
 protected:
  ResponderConfig config(bool with_target = true) const {
    ResponderConfig c;
    c.accounts = {{"other", "other-secret-1"}, kUser};
    if (with_target) c.target_credentials = kTarget;
    return c;
  }

  // Sends CHAP_A=`offer`, checks that a challenge came back, and returns it.
  Step challenge(Responder& responder, const std::string& offer = "5") {
    Step step = responder.receive({{"CHAP_A", offer}});
    EXPECT_EQ(step.outcome, Outcome::continue_exchange);
    EXPECT_EQ(responder.state(), Responder::State::awaiting_response);
    return step;
  }

  // The correct CHAP_R for `challenge_step`, computed from the keys on the wire.
  static Bytes correct_response(const Step& challenge_step, Hash hash,
                                const std::string& secret = kUser.secret) {
    const auto id = find_key(challenge_step.send, "CHAP_I");
    const auto c = find_key(challenge_step.send, "CHAP_C");
    EXPECT_TRUE(id && c);
    auto r = compute_response(hash, static_cast<std::uint8_t>(std::stoi(*id)), secret,
                              decode_or_fail(*c));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : Bytes{};
  }

  static std::string hex(const Bytes& bytes) { return text::encode_binary_value(bytes); }

  static void expect_failure(const Step& step, std::string_view id, std::uint16_t status) {
    ASSERT_EQ(step.outcome, Outcome::failed);
    ASSERT_TRUE(step.failure.has_value());
    EXPECT_EQ(step.failure->violation.id(), id) << step.failure->violation.to_string();
    EXPECT_EQ(step.failure->login_status, status);
    EXPECT_EQ(step.failure->violation.severity(), Severity::fatal);
    EXPECT_FALSE(step.failure->local_report.has_value());
  }

  test::SeededRng rng_{42};
};

// C083: CHAP_A=5 -> CHAP_A=5, CHAP_I in 0..255 decimal, CHAP_C as 0x hex of the digest length.
TEST_F(ResponderTest, AnswersAlgorithmIdentifierAndChallenge) {
  Responder responder(config(), rng_);
  const Step step = challenge(responder);
  EXPECT_EQ(key_names(step.send), (std::vector<std::string>{"CHAP_A", "CHAP_I", "CHAP_C"}));
  EXPECT_EQ(find_key(step.send, "CHAP_A"), "5");
  const std::string id = *find_key(step.send, "CHAP_I");
  EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_LE(std::stoi(id), 255);
  EXPECT_EQ(std::stoi(id), responder.identifier());
  const std::string c = *find_key(step.send, "CHAP_C");
  EXPECT_EQ(c.substr(0, 2), "0x");
  EXPECT_EQ(decode_or_fail(c).size(), 16u);
  EXPECT_EQ(decode_or_fail(c), Bytes(responder.challenge().begin(), responder.challenge().end()));
  EXPECT_EQ(responder.algorithm(), 5);
  EXPECT_EQ(responder.hash(), Hash::md5);
  EXPECT_TRUE(step.warnings.empty());
}

// C084: the first algorithm in the initiator's order that we support.
TEST_F(ResponderTest, PicksFirstSupportedInInitiatorOrder) {
  const std::pair<const char*, const char*> cases[] = {
      {"7,5", "7"}, {"5,7", "5"}, {"99,8,5", "8"}, {"abc,6,5", "6"}, {"1,2,3,4,5", "5"}};
  for (const auto& [offer, chosen] : cases) {
    Responder responder(config(), rng_);
    const Step step = challenge(responder, offer);
    EXPECT_EQ(find_key(step.send, "CHAP_A"), chosen) << offer;
  }
}

TEST_F(ResponderTest, ChallengeHasDigestLengthForEachAlgorithm) {
  const std::pair<const char*, std::size_t> cases[] = {{"5", 16}, {"6", 20}, {"7", 32}, {"8", 32}};
  for (const auto& [offer, length] : cases) {
    Responder responder(config(), rng_);
    const Step step = challenge(responder, offer);
    EXPECT_EQ(decode_or_fail(*find_key(step.send, "CHAP_C")).size(), length) << offer;
  }
}

// C086 seen from the target: an offer without 5 is a finding about the initiator.
TEST_F(ResponderTest, WarnsWhenOfferLacksMd5) {
  Responder responder(config(), rng_);
  const Step step = challenge(responder, "7,6");
  ASSERT_EQ(step.warnings.size(), 1u);
  EXPECT_EQ(step.warnings[0].id(), "chap.algorithm-list-without-md5");
  EXPECT_EQ(step.warnings[0].severity(), Severity::warning);
}

// C085: nothing acceptable -> CHAP_A=Reject and 0x0201.
TEST_F(ResponderTest, RejectsOfferWithoutSupportedAlgorithm) {
  for (const char* offer : {"99", "", "abc", "4,9,255", "05x"}) {
    Responder responder(config(), rng_);
    const Step step = responder.receive({{"CHAP_A", offer}});
    expect_failure(step, "chap.no-common-algorithm", 0x0201);
    EXPECT_EQ(step.send, (KeyList{{"CHAP_A", "Reject"}})) << offer;
    EXPECT_EQ(responder.state(), Responder::State::failed);
  }
}

TEST_F(ResponderTest, SucceedsWithCorrectResponse) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  const Step step =
      responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(correct_response(c, Hash::md5))}});
  EXPECT_EQ(step.outcome, Outcome::succeeded);
  EXPECT_TRUE(step.send.empty());
  EXPECT_FALSE(step.failure.has_value());
  EXPECT_EQ(responder.authenticated_name(), "labuser");
  EXPECT_FALSE(responder.mutual());
  EXPECT_EQ(responder.state(), Responder::State::succeeded);
}

// C087: one flipped bit anywhere -> 0x0201.
TEST_F(ResponderTest, FlippedBitFails) {
  for (std::size_t bit = 0; bit < 128; bit += 9) {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    Bytes r = correct_response(c, Hash::md5);
    r[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    expect_failure(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(r)}}),
                   "chap.wrong-response", 0x0201);
  }
}

// A response computed with another account's secret is just as wrong.
TEST_F(ResponderTest, ResponseWithOtherAccountSecretFails) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  const Bytes r = correct_response(c, Hash::md5, "other-secret-1");
  expect_failure(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(r)}}),
                 "chap.wrong-response", 0x0201);
}

// C088: unknown CHAP_N, a prefix or an extension of the configured name.
TEST_F(ResponderTest, UnknownUserFails) {
  for (const char* name : {"nobody", "labuse", "labuser ", "LABUSER", ""}) {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    expect_failure(
        responder.receive({{"CHAP_N", name}, {"CHAP_R", hex(correct_response(c, Hash::md5))}}),
        "chap.unknown-user", 0x0201);
  }
}

// C089: a CHAP_R of the wrong length, shorter or longer.
TEST_F(ResponderTest, WrongResponseLengthFails) {
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    Bytes r = correct_response(c, Hash::md5);
    r.pop_back();
    expect_failure(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(r)}}),
                   "chap.response-too-short", 0x0201);
  }
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    Bytes r = correct_response(c, Hash::md5);
    r.push_back(0);
    expect_failure(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(r)}}),
                   "chap.response-too-long", 0x0201);
  }
}

// C090: base64 and upper-case prefixes (and upper-case digits) are accepted.
TEST_F(ResponderTest, AcceptsEveryEncodingOfTheRightResponse) {
  for (int variant = 0; variant < 4; ++variant) {
    Responder responder(config(), rng_);
    const Step c = challenge(responder, "7");
    const Bytes r = correct_response(c, Hash::sha256);
    std::string value = text::encode_binary_value(
        r, variant < 2 ? text::BinaryEncoding::hex : text::BinaryEncoding::base64);
    if (variant % 2 == 1) value = testing::upper_case_values({{"CHAP_R", value}})[0].second;
    const Step step = responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", value}});
    EXPECT_EQ(step.outcome, Outcome::succeeded) << value;
  }
}

TEST_F(ResponderTest, MalformedResponseFails) {
  for (const char* value : {"", "6a27608a31c4b180f02dded952cacb7e", "0x6a2g", "0xgg", "0b%%%%"}) {
    Responder responder(config(), rng_);
    challenge(responder);
    expect_failure(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", value}}),
                   "chap.malformed-response", 0x0201);
  }
}

TEST_F(ResponderTest, MissingNameOrResponseFails) {
  {
    Responder responder(config(), rng_);
    challenge(responder);
    expect_failure(responder.receive({{"CHAP_R", "0x00"}}), "chap.missing-key", 0x0201);
  }
  {
    Responder responder(config(), rng_);
    challenge(responder);
    expect_failure(responder.receive({{"CHAP_N", "labuser"}}), "chap.missing-key", 0x0201);
  }
  {
    Responder responder(config(), rng_);
    challenge(responder);
    expect_failure(responder.receive({}), "chap.missing-key", 0x0201);
  }
}

// C100: keys out of order, in both rounds.
TEST_F(ResponderTest, KeysOutOfOrderFail) {
  for (const char* early : {"CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C"}) {
    Responder responder(config(), rng_);
    expect_failure(responder.receive({{early, "0x00"}, {"CHAP_A", "5"}}), "chap.key-out-of-order",
                   0x0201);
  }
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  expect_failure(responder.receive({{"CHAP_A", "5"},
                                    {"CHAP_N", "labuser"},
                                    {"CHAP_R", hex(correct_response(c, Hash::md5))}}),
                 "chap.key-out-of-order", 0x0201);
}

TEST_F(ResponderTest, MissingAlgorithmOfferFails) {
  Responder responder(config(), rng_);
  expect_failure(responder.receive({{"AuthMethod", "CHAP"}}), "chap.missing-key", 0x0201);
}

TEST_F(ResponderTest, DuplicateKeysFail) {
  Responder responder(config(), rng_);
  expect_failure(responder.receive({{"CHAP_A", "5"}, {"CHAP_A", "7"}}), "chap.duplicate-key",
                 0x0201);
}

TEST_F(ResponderTest, OtherKeysAreIgnored) {
  Responder responder(config(), rng_);
  const Step c = responder.receive({{"TargetName", "iqn.x"}, {"CHAP_A", "5"}});
  ASSERT_EQ(c.outcome, Outcome::continue_exchange);
  const Step step = responder.receive({{"CHAP_N", "labuser"},
                                       {"HeaderDigest", "None"},
                                       {"CHAP_R", hex(correct_response(c, Hash::md5))}});
  EXPECT_EQ(step.outcome, Outcome::succeeded);
}

// Mutual CHAP helpers: the initiator's own identifier and challenge.
KeyList mutual_round(const std::string& response, const std::string& id,
                     const std::string& challenge) {
  return {{"CHAP_N", "labuser"}, {"CHAP_R", response}, {"CHAP_I", id}, {"CHAP_C", challenge}};
}

// C092: the target answers with its CHAP_N and H(I' || target secret || C').
TEST_F(ResponderTest, MutualAnswerUsesTargetSecret) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder, "6");
  const Bytes mine = testing::counting_bytes(20, 0x80);
  const Step step =
      responder.receive(mutual_round(hex(correct_response(c, Hash::sha1)), "77", hex(mine)));
  ASSERT_EQ(step.outcome, Outcome::succeeded);
  EXPECT_EQ(key_names(step.send), (std::vector<std::string>{"CHAP_N", "CHAP_R"}));
  EXPECT_EQ(find_key(step.send, "CHAP_N"), "outuser");
  auto expected = compute_response(Hash::sha1, 77, kTarget.secret, mine);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(find_key(step.send, "CHAP_R"), hex(*expected));
  EXPECT_TRUE(responder.mutual());
}

// C093: the initiator reflects our challenge back.
TEST_F(ResponderTest, ReflectedChallengeFails) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  expect_failure(responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1",
                                                *find_key(c.send, "CHAP_C"))),
                 "chap.reflected-challenge", 0x0201);
}

// The reflection check compares bytes, not text: a base64 copy is still a reflection.
TEST_F(ResponderTest, ReflectedChallengeInOtherEncodingFails) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  const std::string b64 = text::encode_binary_value(decode_or_fail(*find_key(c.send, "CHAP_C")),
                                                    text::BinaryEncoding::base64);
  expect_failure(responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1", b64)),
                 "chap.reflected-challenge", 0x0201);
}

// C101: mutual CHAP asked for, no outgoing credentials configured.
TEST_F(ResponderTest, MutualWithoutTargetCredentialsFails) {
  Responder responder(config(false), rng_);
  const Step c = challenge(responder);
  expect_failure(
      responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1", "0x0102030405")),
      "chap.mutual-not-configured", 0x0201);
}

TEST_F(ResponderTest, MutualNeedsBothIdentifierAndChallenge) {
  for (const char* present : {"CHAP_I", "CHAP_C"}) {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    const Step step =
        responder.receive({{"CHAP_N", "labuser"},
                           {"CHAP_R", hex(correct_response(c, Hash::md5))},
                           {present, std::string(present) == "CHAP_I" ? "1" : "0x01"}});
    expect_failure(step, "chap.missing-key", 0x0201);
  }
}

TEST_F(ResponderTest, MutualWithMalformedIdentifierOrChallengeFails) {
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    expect_failure(
        responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "256", "0x0102")),
        "chap.malformed-identifier", 0x0201);
  }
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    expect_failure(
        responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1", "0x01020g")),
        "chap.malformed-challenge", 0x0201);
  }
}

// C091: the initiator's challenge may hold 1024 bytes, not 1025.
TEST_F(ResponderTest, MutualChallengeOf1024BytesIsAcceptedAnd1025Refused) {
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    const Step step = responder.receive(
        mutual_round(hex(correct_response(c, Hash::md5)), "1", hex(testing::counting_bytes(1024))));
    EXPECT_EQ(step.outcome, Outcome::succeeded);
  }
  {
    Responder responder(config(), rng_);
    const Step c = challenge(responder);
    expect_failure(responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1",
                                                  hex(testing::counting_bytes(1025)))),
                   "chap.challenge-too-long", 0x0201);
  }
}

TEST_F(ResponderTest, ShortMutualChallengeIsAcceptedWithWarning) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  const Step step =
      responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1", "0x01"));
  ASSERT_EQ(step.outcome, Outcome::succeeded);
  ASSERT_EQ(step.warnings.size(), 1u);
  EXPECT_EQ(step.warnings[0].id(), "chap.short-challenge");
}

// C094 on the target side: an initiator secret equal to the target secret is refused once the
// initiator asks for mutual CHAP.
TEST_F(ResponderTest, IdenticalSecretsFailMutualChap) {
  ResponderConfig cfg = config();
  cfg.target_credentials = Credentials{"outuser", kUser.secret};
  Responder responder(cfg, rng_);
  const Step c = challenge(responder);
  expect_failure(responder.receive(mutual_round(hex(correct_response(c, Hash::md5)), "1",
                                                hex(testing::counting_bytes(16, 9)))),
                 "chap.identical-secrets", 0x0201);
  EXPECT_TRUE(responder.authenticated_name().empty());
}

TEST_F(ResponderTest, IdenticalSecretsDoNotMatterForOneWay) {
  ResponderConfig cfg = config();
  cfg.target_credentials = Credentials{"outuser", kUser.secret};
  Responder responder(cfg, rng_);
  const Step c = challenge(responder);
  const Step step =
      responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(correct_response(c, Hash::md5))}});
  EXPECT_EQ(step.outcome, Outcome::succeeded);
}

// C102: CHAP keys after success are a protocol error (0x0200); other keys are not ours.
TEST_F(ResponderTest, KeysAfterSuccess) {
  Responder responder(config(), rng_);
  const Step c = challenge(responder);
  ASSERT_EQ(
      responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(correct_response(c, Hash::md5))}})
          .outcome,
      Outcome::succeeded);
  EXPECT_EQ(responder.receive({{"HeaderDigest", "None"}}).outcome, Outcome::succeeded);
  expect_failure(responder.receive({{"CHAP_A", "5"}}), "chap.keys-after-completion", 0x0200);
}

TEST_F(ResponderTest, FailedEngineRepeatsItsFailure) {
  Responder responder(config(), rng_);
  const Step first = responder.receive({{"CHAP_A", "99"}});
  const Step again = responder.receive({{"CHAP_A", "5"}});
  expect_failure(again, "chap.no-common-algorithm", 0x0201);
  EXPECT_TRUE(again.send.empty());
  EXPECT_EQ(first.failure->violation.detail, again.failure->violation.detail);
}

// Short secrets (the tutorial's "123456") are accepted with one warning per secret.
TEST_F(ResponderTest, ShortSecretsAreAcceptedWithWarnings) {
  ResponderConfig cfg;
  cfg.accounts = {{"aliyun", "123456"}};
  cfg.target_credentials = Credentials{"tgt", "654321"};
  Responder responder(cfg, rng_);
  const Step c = challenge(responder);
  const Step step = responder.receive({{"CHAP_N", "aliyun"},
                                       {"CHAP_R", hex(correct_response(c, Hash::md5, "123456"))},
                                       {"CHAP_I", "3"},
                                       {"CHAP_C", hex(testing::counting_bytes(16, 1))}});
  ASSERT_EQ(step.outcome, Outcome::succeeded);
  ASSERT_EQ(step.warnings.size(), 2u);
  EXPECT_EQ(step.warnings[0].id(), "chap.short-secret");
  EXPECT_NE(step.warnings[0].detail.find("aliyun"), std::string::npos);
  EXPECT_EQ(step.warnings[1].id(), "chap.short-secret");
  EXPECT_NE(step.warnings[1].detail.find("tgt"), std::string::npos);
  EXPECT_TRUE(c.warnings.empty());
}

// C098: ten logins, ten distinct challenges; identifiers not constant.
TEST_F(ResponderTest, ChallengesAndIdentifiersVary) {
  std::set<Bytes> challenges;
  std::set<std::uint8_t> identifiers;
  for (int i = 0; i < 10; ++i) {
    Responder responder(config(), rng_);
    challenge(responder);
    challenges.emplace(responder.challenge().begin(), responder.challenge().end());
    identifiers.insert(responder.identifier());
  }
  EXPECT_EQ(challenges.size(), 10u);
  EXPECT_GT(identifiers.size(), 1u);
}

TEST_F(ResponderTest, ConfiguredIdentifierIsUsed) {
  ResponderConfig cfg = config();
  cfg.identifier = 200;
  Responder responder(cfg, rng_);
  EXPECT_EQ(find_key(challenge(responder).send, "CHAP_I"), "200");
}

// C099: never shorter than the digest unless allowed; never over 1024.
TEST_F(ResponderTest, ChallengeLengthIsClamped) {
  const std::tuple<std::size_t, bool, const char*, std::size_t> cases[] = {
      {8, false, "5", 16},
      {8, true, "5", 8},
      {40, false, "7", 40},
      {0, true, "6", 20},
      {5000, false, "5", 1024}};
  for (const auto& [length, allow_short, offer, expected] : cases) {
    ResponderConfig cfg = config();
    cfg.profile.challenge_length = length;
    cfg.profile.allow_short_challenge = allow_short;
    Responder responder(cfg, rng_);
    challenge(responder, offer);
    EXPECT_EQ(responder.challenge().size(), expected) << length;
  }
}

TEST_F(ResponderTest, Base64ChallengeWhenConfigured) {
  ResponderConfig cfg = config();
  cfg.profile.encoding = text::BinaryEncoding::base64;
  Responder responder(cfg, rng_);
  const Step c = challenge(responder);
  EXPECT_EQ(find_key(c.send, "CHAP_C")->substr(0, 2), "0b");
  EXPECT_EQ(decode_or_fail(*find_key(c.send, "CHAP_C")).size(), 16u);
}

TEST_F(ResponderTest, StateNames) {
  EXPECT_EQ(to_string(Responder::State::awaiting_algorithms), "awaiting_algorithms");
  EXPECT_EQ(to_string(Responder::State::awaiting_response), "awaiting_response");
  EXPECT_EQ(to_string(Responder::State::succeeded), "succeeded");
  EXPECT_EQ(to_string(Responder::State::failed), "failed");
}

}  // namespace
}  // namespace iscsi::chap
