#include "core/text/utf8.hpp"

#include <gtest/gtest.h>

namespace iscsi::text {
namespace {

using namespace std::string_view_literals;

TEST(Utf8, ValidSequences) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("iqn.2019-01.com.example:lab1"));
  EXPECT_TRUE(is_valid_utf8("\xc2\x80\xdf\xbf"));              // U+0080, U+07FF
  EXPECT_TRUE(is_valid_utf8("\xe0\xa0\x80\xef\xbf\xbf"));      // U+0800, U+FFFF
  EXPECT_TRUE(is_valid_utf8("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));  // U+10000, U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\x01\x7f"sv));
}

TEST(Utf8, InvalidSequencesReportTheirOffset) {
  EXPECT_EQ(find_invalid_utf8("ab\x80"), 2U);            // lone continuation
  EXPECT_EQ(find_invalid_utf8("\xc1\xbf"), 0U);          // overlong 2-byte
  EXPECT_EQ(find_invalid_utf8("\xe0\x9f\xbf"), 0U);      // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("x\xed\xbf\xbf"), 1U);     // surrogate U+DFFF
  EXPECT_EQ(find_invalid_utf8("\xf0\x8f\xbf\xbf"), 0U);  // overlong 4-byte
  EXPECT_EQ(find_invalid_utf8("\xf4\x90\x80\x80"), 0U);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xf5\x80\x80\x80"), 0U);
  EXPECT_EQ(find_invalid_utf8("\xe2\x82"), 0U);          // truncated
  EXPECT_EQ(find_invalid_utf8("\xe2\x28\xa1"), 0U);      // bad continuation
  EXPECT_EQ(find_invalid_utf8("\xff"), 0U);
}

}  // namespace
}  // namespace iscsi::text
