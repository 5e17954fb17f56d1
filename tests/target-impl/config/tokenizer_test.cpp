#include "target-impl/config/tokenizer.hpp"

#include <gtest/gtest.h>

namespace iscsi::target::config {
namespace {

using Words = std::vector<std::string>;

Words words_of(std::string_view line) {
  TokenizedLine t = tokenize_line(line);
  EXPECT_FALSE(t.error) << line << ": " << t.error->message;
  return t.words;
}

TEST(Tokenizer, SplitsOnBlanksAndTabs) {
  EXPECT_EQ(words_of("  tgtadm\t--lld  iscsi \r"), (Words{"tgtadm", "--lld", "iscsi"}));
  EXPECT_EQ(words_of(""), Words{});
  EXPECT_EQ(words_of("   \t "), Words{});
}

TEST(Tokenizer, SingleQuotesAreLiteral) {
  EXPECT_EQ(words_of(R"(-p 'pa ss\word"$x')"), (Words{"-p", R"(pa ss\word"$x)"}));
}

TEST(Tokenizer, DoubleQuotesHonourOnlyShellEscapes) {
  EXPECT_EQ(words_of(R"(-p "a \"b\" \\ \$c \n")"), (Words{"-p", R"(a "b" \ $c \n)"}));
}

TEST(Tokenizer, BackslashEscapesOutsideQuotes) {
  EXPECT_EQ(words_of(R"(a\ b c\#d \'e)"), (Words{"a b", "c#d", "'e"}));
}

TEST(Tokenizer, AdjacentPartsFormOneWordAndEmptyQuotesAWord) {
  EXPECT_EQ(words_of(R"('a'"b"c '' "")"), (Words{"abc", "", ""}));
}

TEST(Tokenizer, HashStartsACommentOnlyAtAWordStart) {
  EXPECT_EQ(words_of("-T iqn.x # the target"), (Words{"-T", "iqn.x"}));
  EXPECT_EQ(words_of("a#b '#c'"), (Words{"a#b", "#c"}));
  EXPECT_EQ(words_of("# only a comment"), Words{});
}

TEST(Tokenizer, NoExpansionOfVariablesOrGlobs) {
  EXPECT_EQ(words_of("$HOME *.img ~"), (Words{"$HOME", "*.img", "~"}));
}

TEST(Tokenizer, UnterminatedQuotesNameTheOpeningColumn) {
  TokenizedLine single = tokenize_line("--user 'alice");
  ASSERT_TRUE(single.error);
  EXPECT_EQ(single.error->column, 8U);
  EXPECT_EQ(single.error->message, "unterminated single quote");
  EXPECT_EQ(single.words, Words{"--user"});

  TokenizedLine dbl = tokenize_line(R"(a "b\")");
  ASSERT_TRUE(dbl.error);
  EXPECT_EQ(dbl.error->column, 3U);
  EXPECT_EQ(dbl.error->message, "unterminated double quote");
}

TEST(Tokenizer, TrailingBackslashIsAnError) {
  TokenizedLine t = tokenize_line("abc \\");
  ASSERT_TRUE(t.error);
  EXPECT_EQ(t.error->column, 5U);
  EXPECT_EQ(t.error->message, "backslash at the end of the line");
}

TEST(Tokenizer, RefusesOverlongLinesAndTooManyWords) {
  std::string long_line(max_line_bytes + 1, 'a');
  TokenizedLine t = tokenize_line(long_line);
  ASSERT_TRUE(t.error);
  EXPECT_TRUE(t.words.empty());

  std::string many;
  for (std::size_t i = 0; i <= max_words_per_line; ++i) many += "w ";
  TokenizedLine m = tokenize_line(many);
  ASSERT_TRUE(m.error);
  EXPECT_EQ(m.words.size(), max_words_per_line);
  EXPECT_EQ(m.error->column, 2 * max_words_per_line + 1);
}

}  // namespace
}  // namespace iscsi::target::config
