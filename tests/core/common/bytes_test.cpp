// Big-endian field access (RFC 7143 §11.1: every iSCSI integer is big-endian) and the hex
// helpers used by test vectors and tools.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "core/common/bytes.hpp"

namespace iscsi {
namespace {

TEST(Bytes, LoadsBigEndianFields) {
  const std::array<std::uint8_t, 8> wire{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  EXPECT_EQ(load_be16(wire.data()), 0x0102u);
  EXPECT_EQ(load_be24(wire.data()), 0x010203u);
  EXPECT_EQ(load_be32(wire.data()), 0x01020304u);
  EXPECT_EQ(load_be64(wire.data()), 0x0102030405060708u);
  EXPECT_EQ(load_be16(wire.data() + 6), 0x0708u);
}

TEST(Bytes, LoadsHighBitValuesWithoutSignExtension) {
  const std::array<std::uint8_t, 8> wire{0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8};
  EXPECT_EQ(load_be16(wire.data()), 0xfffeu);
  EXPECT_EQ(load_be24(wire.data()), 0xfffefdu);
  EXPECT_EQ(load_be32(wire.data()), 0xfffefdfcu);
  EXPECT_EQ(load_be64(wire.data()), 0xfffefdfcfbfaf9f8u);
}

TEST(Bytes, StoresBigEndianFieldsAndTouchesOnlyTheirBytes) {
  std::array<std::uint8_t, 10> out{};
  out.fill(0xaa);
  store_be16(out.data() + 1, 0x1234);
  EXPECT_EQ(to_hex(out), "aa1234aaaaaaaaaaaaaa");
  out.fill(0xaa);
  store_be24(out.data() + 1, 0x00123456);  // DataSegmentLength is 24 bits (§11.2.1.5)
  EXPECT_EQ(to_hex(out), "aa123456aaaaaaaaaaaa");
  out.fill(0xaa);
  store_be32(out.data() + 1, 0xdeadbeef);
  EXPECT_EQ(to_hex(out), "aadeadbeefaaaaaaaaaa");
  out.fill(0xaa);
  store_be64(out.data() + 1, 0x0102030405060708u);
  EXPECT_EQ(to_hex(out), "aa0102030405060708aa");
}

TEST(Bytes, Store24IgnoresTheTopByte) {
  std::array<std::uint8_t, 3> out{};
  store_be24(out.data(), 0xff123456u);
  EXPECT_EQ(to_hex(out), "123456");
}

TEST(Bytes, StoreThenLoadRoundTrips) {
  std::array<std::uint8_t, 8> buf{};
  for (std::uint64_t v : {0ull, 1ull, 0x8000000000000000ull, 0xffffffffffffffffull,
                          0x0123456789abcdefull}) {
    store_be64(buf.data(), v);
    EXPECT_EQ(load_be64(buf.data()), v);
    store_be32(buf.data(), static_cast<std::uint32_t>(v));
    EXPECT_EQ(load_be32(buf.data()), static_cast<std::uint32_t>(v));
    store_be16(buf.data(), static_cast<std::uint16_t>(v));
    EXPECT_EQ(load_be16(buf.data()), static_cast<std::uint16_t>(v));
    store_be24(buf.data(), static_cast<std::uint32_t>(v));
    EXPECT_EQ(load_be24(buf.data()), static_cast<std::uint32_t>(v) & 0xffffffu);
  }
}

TEST(Bytes, ToHexIsLowerCaseWithoutSeparators) {
  EXPECT_EQ(to_hex(Bytes{}), "");
  EXPECT_EQ(to_hex(Bytes{0x00, 0x0a, 0xff, 0x10}), "000aff10");
  EXPECT_EQ(to_hex(to_bytes("AZ")), "415a");
}

TEST(Bytes, ParseHexAcceptsEitherCaseAndWhitespace) {
  Bytes out;
  ASSERT_TRUE(parse_hex("0aFf10", out));
  EXPECT_EQ(out, (Bytes{0x0a, 0xff, 0x10}));
  ASSERT_TRUE(parse_hex(" 01 c0\n00\t0\r0 ", out));
  EXPECT_EQ(out, (Bytes{0x01, 0xc0, 0x00, 0x00}));
  ASSERT_TRUE(parse_hex("", out));
  EXPECT_TRUE(out.empty());
}

TEST(Bytes, ParseHexRejectsBadInput) {
  Bytes out{0x99};
  EXPECT_FALSE(parse_hex("abc", out));   // odd digit count
  EXPECT_FALSE(parse_hex("0g", out));    // not a hex digit
  EXPECT_FALSE(parse_hex("0x12", out));  // no prefix: that is core/text's encoding
  EXPECT_FALSE(parse_hex("12-34", out));
  EXPECT_FALSE(parse_hex(std::string_view("12\0" "34", 5), out));
}

TEST(Bytes, ParseHexReplacesPreviousContent) {
  Bytes out{1, 2, 3};
  ASSERT_TRUE(parse_hex("ff", out));
  EXPECT_EQ(out, Bytes{0xff});
}

TEST(Bytes, HexRoundTripsEveryByteValue) {
  Bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  Bytes back;
  ASSERT_TRUE(parse_hex(to_hex(all), back));
  EXPECT_EQ(back, all);
}

TEST(Bytes, TextViewsShareTheBytes) {
  const Bytes bytes = to_bytes("Key=Value");
  EXPECT_EQ(bytes.size(), 9u);
  EXPECT_EQ(as_text(bytes), "Key=Value");
  EXPECT_EQ(as_text(ByteView(bytes).subspan(4)), "Value");
}

}  // namespace
}  // namespace iscsi
