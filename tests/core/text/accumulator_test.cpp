#include "core/text/accumulator.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/core/text/text_test_util.hpp"

namespace iscsi::text {
namespace {

using namespace std::string_view_literals;
using testing::bytes_of;

ByteView view(const Bytes& bytes, std::size_t offset, std::size_t length) {
  return ByteView(bytes).subspan(offset, length);
}

// C042: the text of one logical segment split across two PDUs at every byte offset, including
// inside a key and right before a NUL, gives the same pairs as the unsplit text.
TEST(TextAccumulator, SplitAtEveryOffsetAcrossTwoPdus) {
  const Bytes text = bytes_of(testing::libiscsi_login_text());
  const auto whole = parse_text(text).value();
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    TextAccumulator accumulator;
    auto first = accumulator.feed(view(text, 0, cut), true);
    ASSERT_TRUE(first) << "cut " << cut;
    EXPECT_FALSE(first->has_value());
    EXPECT_TRUE(accumulator.in_progress());
    auto second = accumulator.feed(view(text, cut, text.size() - cut), false);
    ASSERT_TRUE(second) << "cut " << cut << ": " << second.error().to_string();
    ASSERT_TRUE(second->has_value());
    EXPECT_EQ(**second, whole) << "cut " << cut;
    EXPECT_FALSE(accumulator.in_progress());
  }
}

TEST(TextAccumulator, ByteByByte) {
  const Bytes text = bytes_of("CHAP_N=labuser\0CHAP_R=0x6A27608A31C4B180F02DDED952CACB7E\0"sv);
  TextAccumulator accumulator;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    auto partial = accumulator.feed(view(text, i, 1), true);
    ASSERT_TRUE(partial);
    ASSERT_FALSE(partial->has_value());
  }
  auto done = accumulator.feed(view(text, text.size() - 1, 1), false);
  ASSERT_TRUE(done);
  ASSERT_TRUE(done->has_value());
  ASSERT_EQ((*done)->size(), 2U);
  EXPECT_EQ((**done)[1].value, "0x6A27608A31C4B180F02DDED952CACB7E");
  EXPECT_EQ(accumulator.total_bytes(), text.size());
}

// C043: the last PDU of a run may be empty (the peer pulls the rest with empty requests).
TEST(TextAccumulator, EmptyFinalSegment) {
  const Bytes text = bytes_of("A=1\0"sv);
  TextAccumulator accumulator;
  ASSERT_TRUE(accumulator.feed(text, true));
  auto done = accumulator.feed({}, false);
  ASSERT_TRUE(done);
  EXPECT_EQ(**done, (KeyValueList{{"A", "1"}}));
}

TEST(TextAccumulator, EmptySingleSegmentIsEmptyList) {
  TextAccumulator accumulator;
  auto done = accumulator.feed({}, false);
  ASSERT_TRUE(done);
  ASSERT_TRUE(done->has_value());
  EXPECT_TRUE((*done)->empty());
}

TEST(TextAccumulator, SuccessiveRunsAreIndependent) {
  TextAccumulator accumulator;
  ASSERT_TRUE(accumulator.feed(bytes_of("A=1\0B="sv), true));
  auto first = accumulator.feed(bytes_of("2\0"sv), false);
  ASSERT_TRUE(first);
  EXPECT_EQ(**first, (KeyValueList{{"A", "1"}, {"B", "2"}}));
  auto second = accumulator.feed(bytes_of("C=3\0"sv), false);
  ASSERT_TRUE(second);
  EXPECT_EQ(**second, (KeyValueList{{"C", "3"}}));
  EXPECT_EQ(accumulator.total_bytes(), 12U);  // the limit counts the whole negotiation
}

TEST(TextAccumulator, RunEndingInsidePairIsMissingNul) {
  TextAccumulator accumulator;
  ASSERT_TRUE(accumulator.feed(bytes_of("A=1\0B"sv), true));
  auto done = accumulator.feed(bytes_of("=2"sv), false);
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().id(), "text.missing-nul");
  EXPECT_FALSE(accumulator.in_progress());  // the partial text was dropped
}

TEST(TextAccumulator, DefaultLimitIs64KiB) {
  TextAccumulator accumulator;
  EXPECT_EQ(accumulator.max_total_bytes(), 65536U);
  EXPECT_GE(accumulator.max_total_bytes(), kMinNegotiationTextBytes);
  const Bytes chunk(4096, 'a');
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(accumulator.feed(chunk, true)) << i;
  auto over = accumulator.feed(bytes_of("x"), true);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().id(), "text.too-long");
  EXPECT_EQ(over.error().kind.rfc_section, "RFC 7143 §6.2");
}

TEST(TextAccumulator, ConfiguredLimitIsExact) {
  TextAccumulator accumulator(8);
  ASSERT_TRUE(accumulator.feed(bytes_of("A=1\0"sv), false));
  ASSERT_TRUE(accumulator.feed(bytes_of("B=2\0"sv), false));  // exactly 8 bytes
  EXPECT_FALSE(accumulator.feed(bytes_of("C"), true));
  accumulator.reset();  // next negotiation
  EXPECT_EQ(accumulator.total_bytes(), 0U);
  EXPECT_TRUE(accumulator.feed(bytes_of("C=3\0"sv), false));
}

TEST(SplitText, SegmentsRespectTheLimitAndSetC) {
  const Bytes text = bytes_of(testing::libiscsi_login_text());
  const auto segments = split_text(text, 512 - 100);
  ASSERT_EQ(segments.size(), 2U);
  EXPECT_EQ(segments[0].data.size(), 412U);
  EXPECT_TRUE(segments[0].continue_bit);
  EXPECT_EQ(segments[1].data.size(), 28U);
  EXPECT_FALSE(segments[1].continue_bit);
}

TEST(SplitText, EmptyTextIsOneEmptyFinalSegment) {
  const auto segments = split_text({}, 512);
  ASSERT_EQ(segments.size(), 1U);
  EXPECT_TRUE(segments[0].data.empty());
  EXPECT_FALSE(segments[0].continue_bit);
}

TEST(SplitText, ExactMultipleHasNoEmptyTail) {
  const Bytes text = bytes_of("AB=\0CD=\0"sv);
  const auto segments = split_text(text, 4);
  ASSERT_EQ(segments.size(), 2U);
  EXPECT_FALSE(segments[1].continue_bit);
  EXPECT_EQ(split_text(text, 0).size(), text.size());  // a 0 limit acts as 1
}

// Splitting for sending at small MaxRecvDataSegmentLength values and reassembling gives the
// original pairs back; cuts fall inside pairs.
TEST(SplitText, ReassemblesAtEverySmallLimit) {
  const Bytes text = bytes_of(testing::libiscsi_login_text());
  const auto whole = parse_text(text).value();
  for (std::size_t limit = 1; limit <= 64; ++limit) {
    const auto segments = split_text(text, limit);
    TextAccumulator accumulator;
    std::optional<KeyValueList> result;
    for (const auto& segment : segments) {
      ASSERT_LE(segment.data.size(), limit);
      auto fed = accumulator.feed(segment.data, segment.continue_bit);
      ASSERT_TRUE(fed) << "limit " << limit;
      if (fed->has_value()) result = **fed;
    }
    ASSERT_TRUE(result.has_value()) << "limit " << limit;
    EXPECT_EQ(*result, whole) << "limit " << limit;
  }
}

}  // namespace
}  // namespace iscsi::text
