// The CRC32C test vectors of RFC 7143 §13.1 / RFC 3720 §B.4 (digest §1.7), for every
// implementation, including the least-significant-byte-first wire order of the digest.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

#include "core/crc32c/crc32c.hpp"
#include "core/crc32c/implementations.hpp"
#include "tests/core/crc32c/implementation_param.hpp"

namespace iscsi::crc32c {
namespace {

struct Vector {
  std::string_view label;
  Bytes input;
  std::uint32_t crc;
  std::string_view wire_hex;
};

Bytes filled(std::size_t n, std::uint8_t value) { return Bytes(n, value); }

Bytes counting(bool ascending) {
  Bytes out(32);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(ascending ? i : 31 - i);
  }
  return out;
}

Bytes from_hex(std::string_view hex) {
  Bytes out;
  EXPECT_TRUE(parse_hex(hex, out)) << hex;
  return out;
}

std::vector<Vector> vectors() {
  return {
      {"32 x 00", filled(32, 0x00), 0x8A9136AAu, "aa36918a"},
      {"32 x ff", filled(32, 0xff), 0x62A8AB43u, "43aba862"},
      {"00..1f", counting(true), 0x46DD794Eu, "4e79dd46"},
      {"1f..00", counting(false), 0x113FDB5Cu, "5cdb3f11"},
      {"READ(10) BHS",
       from_hex("01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018 "
                "28000000 00000000 02000000 00000000"),
       0xD9963A56u, "563a96d9"},
      {"123456789", to_bytes("123456789"), 0xE3069283u, "839206e3"},
  };
}

class Crc32cVectors : public ImplementationTest {};

TEST_P(Crc32cVectors, MatchesPublishedValues) {
  for (const Vector& v : vectors()) {
    EXPECT_EQ(extend_with(GetParam(), 0, v.input), v.crc) << v.label;
  }
}

TEST_P(Crc32cVectors, DigestBytesGoOnTheWireLeastSignificantFirst) {
  for (const Vector& v : vectors()) {
    std::array<std::uint8_t, 4> wire{};
    store_digest(wire.data(), extend_with(GetParam(), 0, v.input));
    EXPECT_EQ(to_hex(wire), v.wire_hex) << v.label;
    EXPECT_EQ(load_digest(from_hex(v.wire_hex).data()), v.crc) << v.label;
  }
}

TEST_P(Crc32cVectors, EmptyInputLeavesTheDigestUnchanged) {
  EXPECT_EQ(extend_with(GetParam(), 0, ByteView{}), 0u);
  EXPECT_EQ(extend_with(GetParam(), 0xE3069283u, ByteView{}), 0xE3069283u);
}

TEST_P(Crc32cVectors, ByteByByteChainingReachesTheVector) {
  for (const Vector& v : vectors()) {
    std::uint32_t crc = 0;
    for (std::size_t i = 0; i < v.input.size(); ++i) {
      crc = extend_with(GetParam(), crc, ByteView(v.input).subspan(i, 1));
    }
    EXPECT_EQ(crc, v.crc) << v.label;
  }
}

INSTANTIATE_TEST_SUITE_P(All, Crc32cVectors, ::testing::ValuesIn(kAllImplementations),
                         implementation_param_name);

TEST(Crc32cPublic, ComputeMatchesEveryVector) {
  for (const Vector& v : vectors()) {
    EXPECT_EQ(compute(v.input), v.crc) << v.label;
    EXPECT_EQ(extend(0, v.input), v.crc) << v.label;
  }
}

TEST(Crc32cPublic, StoreAndLoadDigestAreInverse) {
  for (std::uint32_t value : {0u, 1u, 0x8A9136AAu, 0xFFFFFFFFu, 0x01020304u}) {
    std::array<std::uint8_t, 4> wire{};
    store_digest(wire.data(), value);
    EXPECT_EQ(load_digest(wire.data()), value);
  }
  std::array<std::uint8_t, 4> wire{};
  store_digest(wire.data(), 0x01020304u);
  EXPECT_EQ(to_hex(wire), "04030201");
}

}  // namespace
}  // namespace iscsi::crc32c
