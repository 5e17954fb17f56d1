#include "core/text/binary_value.hpp"

#include <gtest/gtest.h>

namespace iscsi::text {
namespace {

TEST(BinaryValue, HexAndBase64RoundTrip) {
  const Bytes bytes{0x00, 0x01, 0xfe, 0xff};
  EXPECT_EQ(encode_binary_value(bytes), "0x0001feff");
  EXPECT_EQ(encode_binary_value(bytes, BinaryEncoding::base64), "0bAAH+/w==");
  EXPECT_EQ(decode_binary_value("0x0001FEFF").value(), bytes);
  EXPECT_EQ(decode_binary_value("0X0001feff").value(), bytes);
  EXPECT_EQ(decode_binary_value("0bAAH+/w==").value(), bytes);
  EXPECT_EQ(decode_binary_value("0BAAH+/w==").value(), bytes);
}

// RFC 7143 §6.1: a hex-constant of n digits is (n+1)/2 bytes long, so odd counts are legal.
TEST(BinaryValue, OddHexDigitCountHasImplicitLeadingZero) {
  EXPECT_EQ(decode_binary_value("0x123").value(), (Bytes{0x01, 0x23}));
  EXPECT_EQ(decode_binary_value("0xf").value(), (Bytes{0x0f}));
}

TEST(BinaryValue, LimitAndMalformed) {
  EXPECT_TRUE(decode_binary_value("0x" + std::string(2048, 'a')));
  EXPECT_FALSE(decode_binary_value("0x" + std::string(2050, 'a')));
  EXPECT_TRUE(decode_binary_value("0x" + std::string(2049, 'a'), 1025));
  for (const char* bad : {"", "0x", "0b", "12", "0y12", "0x1g", "0bA", "0bA===", "0b====",
                          "0bAA=A"}) {
    auto decoded = decode_binary_value(bad);
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error().id(), "text.bad-binary-value") << bad;
  }
}

}  // namespace
}  // namespace iscsi::text
