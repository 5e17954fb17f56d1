#include "initiator-impl/io/pattern.hpp"

#include <gtest/gtest.h>

#include "core/scsi/sense.hpp"
#include "initiator-impl/io/scsi_text.hpp"

namespace iscsi::initiator::io {
namespace {

TEST(Pattern, FillMatchesBytewiseAtAnyAlignment) {
  for (std::uint64_t offset : {0ULL, 1ULL, 7ULL, 8ULL, 4093ULL, (1ULL << 40) + 3}) {
    Bytes data(77);
    fill_pattern(42, offset, data);
    for (std::size_t i = 0; i < data.size(); ++i) {
      ASSERT_EQ(data[i], pattern_byte(42, offset + i)) << offset << "+" << i;
    }
    EXPECT_FALSE(find_pattern_mismatch(42, offset, data).has_value());
  }
}

TEST(Pattern, DependsOnSeedAndOffset) {
  Bytes a(4096), b(4096), c(4096);
  fill_pattern(1, 0, a);
  fill_pattern(2, 0, b);
  fill_pattern(1, 4096, c);
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  // A block written at the wrong LBA is caught.
  EXPECT_TRUE(find_pattern_mismatch(1, 4096, a).has_value());
}

TEST(Pattern, FirstMismatchingByteAtEveryPosition) {
  Bytes data(64);
  for (std::size_t at = 0; at < data.size(); ++at) {
    fill_pattern(9, 5, data);
    data[at] = static_cast<std::uint8_t>(data[at] ^ 0x10);
    if (at + 1 < data.size()) data.back() = static_cast<std::uint8_t>(data.back() ^ 0x01);
    EXPECT_EQ(find_pattern_mismatch(9, 5, data), at);
  }
}

Bytes sense(scsi::SenseKey key, scsi::AdditionalSense code) {
  scsi::SenseData data;
  data.key = key;
  data.code = code;
  return scsi::build_fixed_sense(data);
}

TEST(ScsiText, CheckConditionInWords) {
  session::CommandCompleted completed;
  completed.status = kStatusCheckCondition;
  completed.sense = sense(scsi::SenseKey::illegal_request, scsi::asc::kLbaOutOfRange);
  EXPECT_EQ(command_problem(completed),
            "status CHECK CONDITION, sense key ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF "
            "RANGE (ASC 0x21, ASCQ 0x00)");
  EXPECT_FALSE(is_unit_attention(completed));
  completed.sense = sense(scsi::SenseKey::unit_attention, {0x7e, 0x01});
  EXPECT_TRUE(is_unit_attention(completed));
  EXPECT_EQ(command_problem(completed),
            "status CHECK CONDITION, sense key UNIT ATTENTION, ASC 0x7e, ASCQ 0x01");
}

TEST(ScsiText, OtherOutcomes) {
  session::CommandCompleted completed;
  EXPECT_EQ(command_problem(completed), "");
  completed.status = 0x18;
  EXPECT_EQ(command_problem(completed), "status RESERVATION CONFLICT");
  completed.status = 0x42;
  EXPECT_EQ(command_problem(completed), "status 0x42");
  completed.failure = session::Failure{session::FailureReason::connection_lost, "peer closed"};
  EXPECT_NE(command_problem(completed).find("peer closed"), std::string::npos);
}

}  // namespace
}  // namespace iscsi::initiator::io
