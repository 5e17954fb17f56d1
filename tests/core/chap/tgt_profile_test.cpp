// The tgt 1.0.85 quirk profile (peer-behaviour.md, CHAP section) and a replay of the real
// mutual-CHAP login between tgt and libiscsi in shared/testdata/tgtd-libiscsi-session.pcap.
#include <gtest/gtest.h>

#include <string>

#include "core/chap/originator.hpp"
#include "core/chap/responder.hpp"
#include "tests/core/chap/chap_test_util.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::chap {
namespace {

using testing::decode_or_fail;
using testing::find_key;

using testing::kTarget;
using testing::kUser;

ResponderConfig tgt_config() {
  ResponderConfig c;
  c.accounts = {kUser};
  c.target_credentials = kTarget;
  c.profile = ResponderProfile::tgt_1_0_85();
  return c;
}

using testing::hex;

Bytes response_to(const Step& challenge, Hash hash) {
  auto r = compute_response(
      hash, static_cast<std::uint8_t>(std::stoi(*find_key(challenge.send, "CHAP_I"))), kUser.secret,
      decode_or_fail(*find_key(challenge.send, "CHAP_C")));
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : Bytes{};
}

// Offered 8,7,6,5, tgt picks 7 and sends a 50-byte challenge.
TEST(ChapTgtProfile, PicksSevenFromAFullOfferWithFiftyByteChallenge) {
  test::SeededRng rng(1);
  Responder responder(tgt_config(), rng);
  const Step step = responder.receive({{"CHAP_A", "8,7,6,5"}});
  ASSERT_EQ(step.outcome, Outcome::continue_exchange);
  EXPECT_EQ(find_key(step.send, "CHAP_A"), "7");
  EXPECT_EQ(responder.hash(), Hash::sha1);
  EXPECT_EQ(decode_or_fail(*find_key(step.send, "CHAP_C")).size(), 50u);
}

// ... and then a SHA-256 answer is "over-long" for its SHA-1 digest: 0x0200 (checked live).
TEST(ChapTgtProfile, Sha256AnswerToSevenIsInitiatorError) {
  test::SeededRng rng(2);
  Responder responder(tgt_config(), rng);
  const Step c = responder.receive({{"CHAP_A", "7"}});
  const Step step =
      responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(response_to(c, Hash::sha256))}});
  ASSERT_EQ(step.outcome, Outcome::failed);
  EXPECT_EQ(step.failure->violation.id(), "chap.response-too-long");
  EXPECT_EQ(step.failure->login_status, 0x0200);
}

// A SHA-1 answer to 7 succeeds (checked live).
TEST(ChapTgtProfile, Sha1AnswerToSevenSucceeds) {
  test::SeededRng rng(3);
  Responder responder(tgt_config(), rng);
  const Step c = responder.receive({{"CHAP_A", "7"}});
  EXPECT_EQ(responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(response_to(c, Hash::sha1))}})
                .outcome,
            Outcome::succeeded);
}

// A list without 5 or 7: 0x0200 and no CHAP_A=Reject key.
TEST(ChapTgtProfile, OfferWithoutFiveOrSevenIsInitiatorError) {
  for (const char* offer : {"6", "8,6", "99"}) {
    test::SeededRng rng(4);
    Responder responder(tgt_config(), rng);
    const Step step = responder.receive({{"CHAP_A", offer}});
    ASSERT_EQ(step.outcome, Outcome::failed) << offer;
    EXPECT_EQ(step.failure->violation.id(), "chap.no-common-algorithm");
    EXPECT_EQ(step.failure->login_status, 0x0200);
    EXPECT_TRUE(step.send.empty());
  }
}

// A wrong response stays 0x0201 under tgt too.
TEST(ChapTgtProfile, WrongResponseIsStillAuthenticationFailure) {
  test::SeededRng rng(5);
  Responder responder(tgt_config(), rng);
  const Step c = responder.receive({{"CHAP_A", "5"}});
  Bytes r = response_to(c, Hash::md5);
  r[0] ^= 0x80;
  const Step step = responder.receive({{"CHAP_N", "labuser"}, {"CHAP_R", hex(r)}});
  ASSERT_EQ(step.outcome, Outcome::failed);
  EXPECT_EQ(step.failure->login_status, 0x0201);
}

// tgt counts CHAP_I across connections; the caller owns the counter.
TEST(ChapTgtProfile, CountingIdentifierComesFromTheCaller) {
  test::SeededRng rng(6);
  for (std::uint8_t next = 6; next < 9; ++next) {
    ResponderConfig c = tgt_config();
    c.identifier = next;
    Responder responder(c, rng);
    EXPECT_EQ(find_key(responder.receive({{"CHAP_A", "5"}}).send, "CHAP_I"), std::to_string(next));
  }
}

// Our initiator with open-iscsi's default offer logs in to tgt (50-byte challenge accepted); one
// offering only 7 computes SHA-256 and meets tgt's 0x0200, as on the real thing.
TEST(ChapTgtProfile, OurInitiatorAgainstTgt) {
  for (const bool only_seven : {false, true}) {
    test::SeededRng rng(7);
    OriginatorConfig oc;
    oc.credentials = kUser;
    oc.target_credentials = kTarget;
    if (only_seven) oc.algorithms = {7};
    Originator originator(oc, rng);
    Responder responder(tgt_config(), rng);
    const Step offer = originator.start();
    EXPECT_EQ(offer.warnings.size(), only_seven ? 1u : 0u);
    const Step challenge = responder.receive(offer.send);
    const Step answer = originator.receive(challenge.send);
    EXPECT_TRUE(answer.warnings.empty());
    const Step verdict = responder.receive(answer.send);
    if (only_seven) {
      ASSERT_EQ(verdict.outcome, Outcome::failed);
      EXPECT_EQ(verdict.failure->login_status, 0x0200);
      continue;
    }
    ASSERT_EQ(verdict.outcome, Outcome::succeeded);
    EXPECT_EQ(originator.receive(verdict.send).outcome, Outcome::succeeded);
  }
}

// The tgt profile answers the mutual CHAP_R in the encoding of the initiator's CHAP_C.
TEST(ChapTgtProfile, MirrorsTheChallengeEncoding) {
  test::SeededRng rng(8);
  Responder responder(tgt_config(), rng);
  const Step c = responder.receive({{"CHAP_A", "5"}});
  const Step step =
      responder.receive({{"CHAP_N", "labuser"},
                         {"CHAP_R", hex(response_to(c, Hash::md5))},
                         {"CHAP_I", "1"},
                         {"CHAP_C", text::encode_binary_value(testing::counting_bytes(16),
                                                              text::BinaryEncoding::base64)}});
  ASSERT_EQ(step.outcome, Outcome::succeeded);
  EXPECT_EQ(find_key(step.send, "CHAP_R")->substr(0, 2), "0b");
}

// --- Replay of frames 447-450 of shared/testdata/tgtd-libiscsi-session.pcap -------------------
// (tshark -r FILE -Y iscsi -T fields -e iscsi.keyvalue). The secrets were recovered from the
// responses by trying the lab's naming pattern; every other value was written by tgt or libiscsi.
constexpr const char* kTgtChallenge =
    "332ed097140440bed662bfc31faaa996dfab1aeb3bf0f506f3ecb5a74567a57fc1fbc0aa5994b16f37655a3068d2"
    "2b93ad8a";
constexpr const char* kLibiscsiResponse = "0x6A27608A31C4B180F02DDED952CACB7E";
constexpr const char* kLibiscsiChallenge =
    "BE68EEAF4C720B453DD1CAD03F8CA1C842B265194C39E8E12DB4785D16B786D4";
constexpr const char* kTgtResponse = "0x8e64aaa457959709aa9c6881bc126662";

Bytes from_hex(const char* text) {
  Bytes out;
  EXPECT_TRUE(parse_hex(text, out));
  return out;
}

// Our target, in tgt's shoes (CHAP_I=6 from its counter, its challenge from the Rng), accepts
// libiscsi's real answer and produces tgt's real mutual answer byte for byte.
TEST(ChapTgtReplay, ResponderReproducesTgt) {
  test::ScriptedRng rng(from_hex(kTgtChallenge));
  ResponderConfig c = tgt_config();
  c.identifier = 6;
  Responder responder(c, rng);
  const Step challenge = responder.receive({{"CHAP_A", "5"}});
  EXPECT_EQ(
      challenge.send,
      (KeyList{{"CHAP_A", "5"}, {"CHAP_I", "6"}, {"CHAP_C", std::string("0x") + kTgtChallenge}}));
  const Step verdict = responder.receive({{"CHAP_N", "labuser"},
                                          {"CHAP_R", kLibiscsiResponse},
                                          {"CHAP_I", "1"},
                                          {"CHAP_C", std::string("0x") + kLibiscsiChallenge}});
  ASSERT_EQ(verdict.outcome, Outcome::succeeded);
  EXPECT_EQ(verdict.send, (KeyList{{"CHAP_N", "outuser"}, {"CHAP_R", kTgtResponse}}));
}

// Our initiator, in libiscsi's shoes (CHAP_I=1 and its 32-byte challenge from the Rng), produces
// libiscsi's real answer and accepts tgt's real mutual answer.
TEST(ChapTgtReplay, OriginatorReproducesLibiscsi) {
  Bytes script = {1};
  const Bytes challenge = from_hex(kLibiscsiChallenge);
  script.insert(script.end(), challenge.begin(), challenge.end());
  test::ScriptedRng rng(script);
  OriginatorConfig c;
  c.credentials = kUser;
  c.target_credentials = kTarget;
  c.challenge_length = 32;
  Originator originator(c, rng);
  EXPECT_EQ(originator.start().send, (KeyList{{"CHAP_A", "5"}}));
  const Step answer = originator.receive(
      {{"CHAP_A", "5"}, {"CHAP_I", "6"}, {"CHAP_C", std::string("0x") + kTgtChallenge}});
  ASSERT_EQ(answer.outcome, Outcome::continue_exchange);
  EXPECT_EQ(testing::key_names(answer.send),
            (std::vector<std::string>{"CHAP_N", "CHAP_R", "CHAP_I", "CHAP_C"}));
  EXPECT_EQ(find_key(answer.send, "CHAP_N"), "labuser");
  EXPECT_EQ(find_key(answer.send, "CHAP_I"), "1");
  // libiscsi writes upper-case hex digits, we write lower-case: compare the bytes.
  EXPECT_EQ(decode_or_fail(*find_key(answer.send, "CHAP_R")), decode_or_fail(kLibiscsiResponse));
  EXPECT_EQ(decode_or_fail(*find_key(answer.send, "CHAP_C")), challenge);
  const Step done = originator.receive({{"CHAP_N", "outuser"}, {"CHAP_R", kTgtResponse}});
  EXPECT_EQ(done.outcome, Outcome::succeeded);
}

}  // namespace
}  // namespace iscsi::chap
