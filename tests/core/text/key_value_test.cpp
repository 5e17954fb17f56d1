#include "core/text/key_value.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/text/binary_value.hpp"
#include "tests/core/text/text_test_util.hpp"

namespace iscsi::text {
namespace {

using namespace std::string_view_literals;
using testing::bytes_of;

Result<KeyValueList> parse(std::string_view text) { return parse_text(bytes_of(text)); }

std::string id_of(const Result<KeyValueList>& result) {
  return result ? std::string("ok") : std::string(result.error().id());
}

TEST(ParseText, ReadsPairsInOrder) {
  auto pairs = parse("InitiatorName=iqn.a\0SessionType=Normal\0SendTargets=\0"sv);
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 3U);
  EXPECT_EQ((*pairs)[0], (KeyValue{"InitiatorName", "iqn.a"}));
  EXPECT_EQ((*pairs)[1], (KeyValue{"SessionType", "Normal"}));
  EXPECT_EQ((*pairs)[2], (KeyValue{"SendTargets", ""}));  // empty values are legal text
}

TEST(ParseText, EmptySegmentIsEmptyList) {
  auto pairs = parse("");
  ASSERT_TRUE(pairs);
  EXPECT_TRUE(pairs->empty());
}

TEST(ParseText, ValueMayHoldEqualsSigns) {
  auto pairs = parse("CHAP_C=0b+/8=\0"sv);
  ASSERT_TRUE(pairs);
  EXPECT_EQ((*pairs)[0].value, "0b+/8=");
}

TEST(ParseText, RealLibiscsiLogin) {
  const std::string& text = testing::libiscsi_login_text();
  ASSERT_EQ(text.size(), 440U);  // DataSegmentLength of frame 26 in the capture
  auto pairs = parse(text);
  ASSERT_TRUE(pairs);
  EXPECT_EQ(pairs->size(), 19U);
  EXPECT_EQ(find_value(*pairs, "HeaderDigest"), "None,CRC32C");
  EXPECT_EQ(encode_text(*pairs), bytes_of(text));
}

// C079: every pair, the last included, is NUL-terminated.
TEST(ParseText, MissingFinalNulIsProtocolError) {
  EXPECT_EQ(id_of(parse("A=1\0B=2"sv)), "text.missing-nul");
  EXPECT_EQ(id_of(parse("A=1"sv)), "text.missing-nul");
  EXPECT_EQ(id_of(parse("A"sv)), "text.missing-nul");
}

TEST(ParseText, PairWithoutEqualsIsProtocolError) {
  EXPECT_EQ(id_of(parse("A=1\0Bogus\0"sv)), "text.missing-equals");
  EXPECT_EQ(id_of(parse("A=1\0\0"sv)), "text.missing-equals");  // empty pair
  EXPECT_EQ(id_of(parse("\0"sv)), "text.missing-equals");
}

TEST(ParseText, EmptyKeyIsProtocolError) {
  EXPECT_EQ(id_of(parse("=1\0"sv)), "text.empty-key");
}

// RFC 7143 §6.1 (C052): key names up to 63 bytes.
TEST(ParseText, KeyLengthLimitIs63Bytes) {
  const std::string key63 = "X-" + std::string(61, 'a');
  const std::string key64 = key63 + "b";
  ASSERT_EQ(key63.size(), 63U);
  EXPECT_EQ(id_of(parse(key63 + "=1" + '\0')), "ok");
  auto too_long = parse(key64 + "=1" + '\0');
  EXPECT_EQ(id_of(too_long), "text.key-too-long");
  EXPECT_NE(too_long.error().detail.find("64 bytes"), std::string::npos);
  EXPECT_EQ(too_long.error().kind.rfc_section, "RFC 7143 §6.1");
}

// RFC 7143 §6.1 (C053): values up to 255 bytes.
TEST(ParseText, ValueLengthLimitIs255Bytes) {
  EXPECT_EQ(id_of(parse("InitiatorAlias=" + std::string(255, 'v') + '\0')), "ok");
  EXPECT_EQ(id_of(parse("InitiatorAlias=" + std::string(256, 'v') + '\0')),
            "text.value-too-long");
  EXPECT_EQ(id_of(parse("InitiatorAlias=" + std::string(300, 'v') + '\0')),
            "text.value-too-long");
}

// RFC 7143 §6.1: a large-binary-value holds up to 1024 bytes, so its text is longer than 255.
TEST(ParseText, LargeBinaryValueLimitIs1024Bytes) {
  const Bytes ok(1024, 0xA5);
  const Bytes over(1025, 0xA5);
  for (const auto encoding : {BinaryEncoding::hex, BinaryEncoding::base64}) {
    const std::string fits = encode_binary_value(ok, encoding);
    const std::string too_big = encode_binary_value(over, encoding);
    ASSERT_GT(fits.size(), kMaxValueBytes);
    EXPECT_EQ(id_of(parse("CHAP_C=" + fits + '\0')), "ok");
    EXPECT_EQ(id_of(parse("CHAP_C=" + too_big + '\0')), "text.value-too-long");
  }
  // Upper-case prefixes are legal too (C090).
  EXPECT_EQ(id_of(parse("CHAP_C=0X" + std::string(2048, 'F') + '\0')), "ok");
  // Long text that is not binary, or not valid binary, is still too long.
  EXPECT_EQ(id_of(parse("CHAP_C=0x" + std::string(600, 'g') + '\0')), "text.value-too-long");
}

TEST(ParseText, InvalidUtf8IsProtocolError) {
  EXPECT_EQ(id_of(parse("InitiatorAlias=caf\xc3\xa9\0"sv)), "ok");
  EXPECT_EQ(id_of(parse("InitiatorAlias=caf\xc3\0"sv)), "text.bad-utf8");  // truncated
  EXPECT_EQ(id_of(parse("InitiatorAlias=\xc0\xaf\0"sv)), "text.bad-utf8");  // overlong '/'
  EXPECT_EQ(id_of(parse("InitiatorAlias=\xed\xa0\x80\0"sv)), "text.bad-utf8");  // surrogate
  EXPECT_EQ(id_of(parse("InitiatorAlias=\xf4\x90\x80\x80\0"sv)), "text.bad-utf8");  // >U+10FFFF
  EXPECT_EQ(id_of(parse("K\xff=1\0"sv)), "text.bad-utf8");
}

// Keys are case-sensitive and label rules do not fail parsing: the negotiator answers
// NotUnderstood (C074).
TEST(ParseText, NonLabelKeysParse) {
  auto pairs = parse("maxburstlength=1024\0"sv);
  ASSERT_TRUE(pairs);
  EXPECT_EQ((*pairs)[0].key, "maxburstlength");
}

TEST(ParseText, EveryPrefixParsesOnlyAtPairEnds) {
  // Feeding a prefix (as a truncated segment would) never reads past the data.
  const std::string& text = testing::libiscsi_login_text();
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    auto prefix = parse(std::string_view(text).substr(0, cut));
    const bool at_pair_end = text[cut - 1] == '\0';
    EXPECT_EQ(prefix.ok(), at_pair_end) << "cut at " << cut;
  }
}

TEST(EncodeText, NulTerminatesEveryPair) {
  const Bytes bytes = encode_text({{"A", "1"}, {"SendTargets", ""}});
  EXPECT_EQ(bytes, bytes_of("A=1\0SendTargets=\0"sv));
  EXPECT_TRUE(encode_text({}).empty());
}

TEST(CheckKeyName, StandardLabels) {
  EXPECT_TRUE(check_key_name("MaxBurstLength"));
  EXPECT_TRUE(check_key_name("X-com.example.Test_1+2@3"));
  EXPECT_TRUE(check_key_name("X#NodeArchitecture"));
  EXPECT_TRUE(check_key_name("Y#foo"));
  EXPECT_TRUE(check_key_name(std::string(63, 'A')));
  EXPECT_FALSE(check_key_name(std::string(64, 'A')));
  EXPECT_FALSE(check_key_name("maxburstlength"));
  EXPECT_FALSE(check_key_name("Max Burst"));
  EXPECT_FALSE(check_key_name("A#b"));
  EXPECT_FALSE(check_key_name("X-a#b"));
  EXPECT_FALSE(check_key_name(""));
  EXPECT_EQ(check_key_name("1abc").error().id(), "text.bad-key-name");
  EXPECT_EQ(check_key_name("1abc").error().severity(), Severity::warning);
}

TEST(IsExtensionKey, PrivateAndPublicExtensions) {
  EXPECT_TRUE(is_extension_key("X-com.example.Foo"));
  EXPECT_TRUE(is_extension_key("X#NodeArchitecture"));
  EXPECT_TRUE(is_extension_key("Y#x"));
  EXPECT_TRUE(is_extension_key("Z#x"));
  EXPECT_FALSE(is_extension_key("Y-x"));
  EXPECT_FALSE(is_extension_key("X"));
  EXPECT_FALSE(is_extension_key("MaxBurstLength"));
}

TEST(Describe, QuotesControlBytesAndCutsLongValues) {
  const std::string text = describe({{"A", "x\x01y"}, {"B", std::string(50, 'z')}});
  EXPECT_EQ(text, "A=x\\x01y, B=" + std::string(40, 'z') + "...");
}

}  // namespace
}  // namespace iscsi::text
