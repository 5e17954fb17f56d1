// Reading CHAP keys and values (RFC 7143 §12.1.3, §6.1).
#include "core/chap/key_parsing.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/core/chap/chap_test_util.hpp"

namespace iscsi::chap {
namespace {

TEST(ChapKeys, CollectsOnlyChapKeys) {
  const KeyList keys = {{"AuthMethod", "CHAP"}, {"CHAP_A", "5"}, {"CHAP_X", "1"}, {"chap_i", "3"}};
  auto received = collect_keys(keys, "Login Request");
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(received->get(Key::chap_a), "5");
  // Key names are case-sensitive (RFC 7143 §6.1); "chap_i" is not CHAP_I.
  EXPECT_FALSE(received->has(Key::chap_i));
  EXPECT_FALSE(received->empty());
}

TEST(ChapKeys, EmptyListHasNoKeys) {
  auto received = collect_keys({{"HeaderDigest", "None"}}, "Login Request");
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->empty());
}

TEST(ChapKeys, DuplicateKeyIsAViolation) {
  auto received =
      collect_keys({{"CHAP_N", "a"}, {"CHAP_R", "0x00"}, {"CHAP_N", "b"}}, "Login Request");
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.error().id(), "chap.duplicate-key");
  EXPECT_NE(received.error().detail.find("CHAP_N"), std::string::npos);
}

TEST(ChapKeys, FirstPresentFollowsTheGivenOrder) {
  auto received = collect_keys({{"CHAP_C", "0x01"}, {"CHAP_R", "0x02"}}, "x");
  ASSERT_TRUE(received.ok());
  EXPECT_EQ(received->first_present({Key::chap_n, Key::chap_r, Key::chap_c}), Key::chap_r);
  EXPECT_FALSE(received->first_present({Key::chap_a, Key::chap_i}).has_value());
}

TEST(ChapIdentifier, AcceptsDecimalAndHex) {
  EXPECT_EQ(*parse_identifier("0", "x"), 0);
  EXPECT_EQ(*parse_identifier("255", "x"), 255);
  EXPECT_EQ(*parse_identifier("007", "x"), 7);
  EXPECT_EQ(*parse_identifier("0x0A", "x"), 10);
  EXPECT_EQ(*parse_identifier("0XfF", "x"), 255);
}

TEST(ChapIdentifier, RejectsEverythingElse) {
  for (const char* bad : {"", "256", "-1", "+1", " 1", "1 ", "1a", "0x", "0x100", "0b01",
                          "999999999999", "0x0000000001"}) {
    auto id = parse_identifier(bad, "Login Request");
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.error().id(), "chap.malformed-identifier") << bad;
  }
}

TEST(ChapChallenge, AcceptsOneTo1024Bytes) {
  for (const std::size_t n :
       {std::size_t{1}, std::size_t{16}, std::size_t{50}, std::size_t{1024}}) {
    const Bytes bytes = testing::counting_bytes(n);
    for (const auto encoding : {text::BinaryEncoding::hex, text::BinaryEncoding::base64}) {
      auto parsed = parse_challenge(text::encode_binary_value(bytes, encoding), "x");
      ASSERT_TRUE(parsed.ok()) << n;
      EXPECT_EQ(*parsed, bytes);
    }
  }
}

TEST(ChapChallenge, Over1024BytesHasItsOwnId) {
  const Bytes bytes = testing::counting_bytes(1025);
  for (const auto encoding : {text::BinaryEncoding::hex, text::BinaryEncoding::base64}) {
    auto parsed = parse_challenge(text::encode_binary_value(bytes, encoding), "Login Request");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().id(), "chap.challenge-too-long");
    EXPECT_NE(parsed.error().detail.find("1025"), std::string::npos);
  }
}

TEST(ChapChallenge, MalformedValues) {
  for (const char* bad : {"", "0x", "0x1g", "0xzz", "12", "0b====", "0bA", "0c00"}) {
    auto parsed = parse_challenge(bad, "x");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().id(), "chap.malformed-challenge") << bad;
  }
}

// RFC 7143 §6.1: an odd number of hex digits has an implied leading zero nibble.
TEST(ChapResponse, OddHexDigitCountIsLegal) {
  auto parsed = parse_response("0xabc", "x");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, (Bytes{0x0a, 0xbc}));
}

TEST(ChapResponse, DecodesEitherEncodingAndPrefixCase) {
  const Bytes bytes = testing::counting_bytes(16, 0xf0);
  const std::string hex = text::encode_binary_value(bytes, text::BinaryEncoding::hex);
  const std::string b64 = text::encode_binary_value(bytes, text::BinaryEncoding::base64);
  for (const std::string& value : {hex, "0X" + hex.substr(2), b64, "0B" + b64.substr(2)}) {
    auto parsed = parse_response(value, "x");
    ASSERT_TRUE(parsed.ok()) << value;
    EXPECT_EQ(*parsed, bytes);
  }
  auto bad = parse_response("0xabcg", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().id(), "chap.malformed-response");
}

TEST(ChapEncoding, PrefixDecidesEncoding) {
  EXPECT_EQ(encoding_of("0b AA"), text::BinaryEncoding::base64);
  EXPECT_EQ(encoding_of("0BAA"), text::BinaryEncoding::base64);
  EXPECT_EQ(encoding_of("0XAA"), text::BinaryEncoding::hex);
  EXPECT_EQ(encoding_of(""), text::BinaryEncoding::hex);
}

TEST(ChapAlgorithmList, KeepsOrderAndMarksUnusableValues) {
  const auto list = parse_algorithm_list("7,5,99,abc,,256,6");
  ASSERT_EQ(list.size(), 7u);
  EXPECT_EQ(list[0], 7);
  EXPECT_EQ(list[1], 5);
  EXPECT_EQ(list[2], 99);
  EXPECT_FALSE(list[3].has_value());
  EXPECT_FALSE(list[4].has_value());
  EXPECT_FALSE(list[5].has_value());
  EXPECT_EQ(list[6], 6);
}

TEST(ChapAlgorithmList, IsBounded) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "1,";
  many += "5";
  const auto list = parse_algorithm_list(many);
  EXPECT_EQ(list.size(), kMaxAlgorithmListItems);
}

TEST(ChapWarnings, ShortSecretBelowTwelveBytes) {
  EXPECT_FALSE(short_secret_warning({"u", "123456789012"}, "initiator").has_value());
  auto warning = short_secret_warning({"aliyun", "123456"}, "initiator");
  ASSERT_TRUE(warning.has_value());
  EXPECT_EQ(warning->id(), "chap.short-secret");
  EXPECT_EQ(warning->severity(), Severity::warning);
  EXPECT_NE(warning->detail.find("aliyun"), std::string::npos);
}

TEST(ChapWarnings, ShortChallengeBelowDigestLength) {
  EXPECT_FALSE(short_challenge_warning(16, Hash::md5, "x").has_value());
  EXPECT_TRUE(short_challenge_warning(15, Hash::md5, "x").has_value());
  EXPECT_TRUE(short_challenge_warning(31, Hash::sha3_256, "x").has_value());
  EXPECT_FALSE(short_challenge_warning(50, Hash::sha1, "x").has_value());
}

TEST(ChapWarnings, QuotedValuesAreCut) {
  const std::string long_value(500, 'a');
  EXPECT_EQ(quote_value(long_value).size(), kQuotedValueChars + 3);
  EXPECT_EQ(quote_value("short"), "short");
}

}  // namespace
}  // namespace iscsi::chap
