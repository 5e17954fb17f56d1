#include "core/cli/c_numbers.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace iscsi::cli {
namespace {

TEST(CNumbers, StrtoullBase0) {
  EXPECT_FALSE(c_strtoull("x"));
  EXPECT_FALSE(c_strtoull(""));
  EXPECT_FALSE(c_strtoull("  -"));
  EXPECT_EQ(c_strtoull("0x")->value, 0U);  // reads the "0"
  EXPECT_EQ(c_strtoull("0x1F")->value, 31U);
  EXPECT_EQ(c_strtoull(" +0X1fz")->value, 31U);
  EXPECT_EQ(c_strtoull("017")->value, 15U);
  EXPECT_EQ(c_strtoull("089")->value, 0U);  // octal stops at 8
  EXPECT_EQ(c_strtoull("-1")->value, ~0ULL);
  EXPECT_TRUE(c_strtoull("-1")->negative);
  EXPECT_FALSE(c_strtoull("18446744073709551615")->overflow);
  EXPECT_TRUE(c_strtoull("18446744073709551616")->overflow);
  EXPECT_TRUE(c_strtoull("99999999999999999999")->overflow);
  EXPECT_EQ(c_strtoull("99999999999999999999")->value, ~0ULL);
}

TEST(CNumbers, StrtolToUint) {
  EXPECT_EQ(c_strtol_to_uint("  4096xyz"), 4096U);
  EXPECT_EQ(c_strtol_to_uint("-1"), 0xffffffffU);
  EXPECT_EQ(c_strtol_to_uint("abc"), 0U);
  EXPECT_EQ(c_strtol_to_uint("0x100000000"), 0U);  // low 32 bits
  EXPECT_EQ(c_strtol_to_uint("0x8000000000000000"), 0xffffffffU);  // LONG_MAX's low bits
  EXPECT_EQ(c_strtol_to_uint("-0x8000000000000001"), 0U);          // LONG_MIN's low bits
}

TEST(CNumbers, Atoi) {
  EXPECT_EQ(c_atoi("yes"), 0);
  EXPECT_EQ(c_atoi(""), 0);
  EXPECT_EQ(c_atoi(" -12ab"), -12);
  EXPECT_EQ(c_atoi("  42abc"), 42);
  EXPECT_EQ(c_atoi("\t+7"), 7);
  EXPECT_EQ(c_atoi("0x10"), 0);  // decimal only
  EXPECT_EQ(c_atoi("2147483647"), INT_MAX);
  EXPECT_EQ(c_atoi("99999999999"), INT_MAX);
  EXPECT_EQ(c_atoi("99999999999999"), INT_MAX);
  EXPECT_EQ(c_atoi("-2147483648"), INT_MIN);
  EXPECT_EQ(c_atoi("-99999999999"), INT_MIN);
}

}  // namespace
}  // namespace iscsi::cli
