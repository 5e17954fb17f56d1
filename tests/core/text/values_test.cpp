#include "core/text/values.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iscsi::text {
namespace {

TEST(ParseNumber, Decimal) {
  EXPECT_EQ(parse_number("0").value(), 0U);
  EXPECT_EQ(parse_number("262144").value(), 262144U);
  EXPECT_EQ(parse_number("007").value(), 7U);  // leading zeros are tolerated
  EXPECT_EQ(parse_number("18446744073709551615").value(), UINT64_MAX);
  EXPECT_FALSE(parse_number("18446744073709551616"));  // 2^64 (C078: < 2^64)
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("-1"));
  EXPECT_FALSE(parse_number("+1"));
  EXPECT_FALSE(parse_number("1 "));
  EXPECT_FALSE(parse_number("12a"));
  EXPECT_EQ(parse_number("12a").error().id(), "text.bad-numeric-value");
}

// C078: numeric values are accepted in hex (MaxBurstLength=0x40000, an odd digit count).
TEST(ParseNumber, Hex) {
  EXPECT_EQ(parse_number("0x40000").value(), 0x40000U);
  EXPECT_EQ(parse_number("0X1f").value(), 31U);
  EXPECT_EQ(parse_number("0x0000000000000000ff").value(), 255U);  // leading zero digits
  EXPECT_EQ(parse_number("0xffffffffffffffff").value(), UINT64_MAX);
  EXPECT_FALSE(parse_number("0x10000000000000000"));  // 2^64
  EXPECT_FALSE(parse_number("0x"));
  EXPECT_FALSE(parse_number("0xg"));
}

TEST(ParseNumber, Base64) {
  EXPECT_EQ(parse_number("0bAQ==").value(), 1U);
  EXPECT_EQ(parse_number("0BAAQAAA==").value(), 0x40000U);
  EXPECT_EQ(parse_number("0b//////////8=").value(), UINT64_MAX);
  EXPECT_FALSE(parse_number("0bAQEBAQEBAQEB"));  // 9 bytes: not below 2^64
  EXPECT_FALSE(parse_number("0b"));
  EXPECT_FALSE(parse_number("0b!!!!"));
}

TEST(FormatNumber, Decimal) {
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(16777215), "16777215");
  EXPECT_EQ(parse_number(format_number(UINT64_MAX)).value(), UINT64_MAX);
}

TEST(ParseBoolean, YesAndNoOnly) {
  EXPECT_TRUE(parse_boolean("Yes").value());
  EXPECT_FALSE(parse_boolean("No").value());
  EXPECT_FALSE(parse_boolean("yes"));
  EXPECT_FALSE(parse_boolean("NO"));
  EXPECT_FALSE(parse_boolean(""));
  EXPECT_EQ(parse_boolean("true").error().id(), "text.bad-boolean-value");
  EXPECT_EQ(format_boolean(true), "Yes");
  EXPECT_EQ(format_boolean(false), "No");
}

TEST(ParseList, PreferenceOrderKept) {
  const auto items = parse_list("CRC32C,None").value();
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0], "CRC32C");
  EXPECT_EQ(items[1], "None");
  EXPECT_EQ(parse_list("None").value().size(), 1U);
  EXPECT_FALSE(parse_list(""));
  EXPECT_FALSE(parse_list("CRC32C,"));
  EXPECT_FALSE(parse_list(",None"));
  EXPECT_FALSE(parse_list("a,,b"));
  EXPECT_EQ(parse_list("a,,b").error().id(), "text.bad-list-value");
}

TEST(ParseList, ItemLimit) {
  std::string many = "a";
  for (std::size_t i = 1; i < kMaxListItems; ++i) many += ",a";
  EXPECT_EQ(parse_list(many).value().size(), kMaxListItems);
  EXPECT_FALSE(parse_list(many + ",a"));
}

TEST(JoinList, CommaSeparated) {
  const std::vector<std::string> items{"CHAP", "None"};
  EXPECT_EQ(join_list(items), "CHAP,None");
  EXPECT_EQ(join_list(std::vector<std::string>{}), "");
}

TEST(NumericRange, ParseAndFormat) {
  EXPECT_EQ(parse_numeric_range("2048~8192").value(), (NumericRange{2048, 8192}));
  EXPECT_EQ(parse_numeric_range("0x10~0x10").value(), (NumericRange{16, 16}));
  EXPECT_FALSE(parse_numeric_range("8192~2048"));
  EXPECT_FALSE(parse_numeric_range("2048"));
  EXPECT_FALSE(parse_numeric_range("~1"));
  EXPECT_EQ(parse_numeric_range("a~b").error().id(), "text.bad-range-value");
  EXPECT_EQ(format_numeric_range({1, 65535}), "1~65535");
}

TEST(ReservedValues, AnswersOnly) {
  EXPECT_EQ(as_reserved_answer("Reject"), ReservedAnswer::reject);
  EXPECT_EQ(as_reserved_answer("Irrelevant"), ReservedAnswer::irrelevant);
  EXPECT_EQ(as_reserved_answer("NotUnderstood"), ReservedAnswer::not_understood);
  EXPECT_FALSE(as_reserved_answer("None"));  // an ordinary list value
  EXPECT_FALSE(as_reserved_answer("reject"));
  EXPECT_EQ(to_string(ReservedAnswer::not_understood), "NotUnderstood");
}

}  // namespace
}  // namespace iscsi::text
