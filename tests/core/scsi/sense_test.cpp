// Sense data (SPC-4 §4.5): builders checked byte for byte against the standard's layouts, and
// the parser against them, against truncation at every length, and against garbage.
#include <gtest/gtest.h>

#include "core/scsi/sense.hpp"

namespace iscsi::scsi {
namespace {

Bytes hex(std::string_view text) {
  Bytes out;
  EXPECT_TRUE(parse_hex(text, out)) << text;
  return out;
}

TEST(FixedSense, InvalidFieldInCdbWithBitPointer) {
  SenseData sense;
  sense.key = SenseKey::illegal_request;
  sense.code = asc::kInvalidFieldInCdb;
  sense.field = FieldPointer{.in_cdb = true, .byte = 2, .bit = 7};
  // 70h, key 05h, ADDITIONAL SENSE LENGTH 0Ah, ASC 24h, SKSV|C/D|BPV|bit 7 = CFh, byte 0002h.
  EXPECT_EQ(to_hex(build_fixed_sense(sense)), "700005000000000a00000000240000cf0002");
}

TEST(FixedSense, ParameterListPointerWithoutBit) {
  SenseData sense;
  sense.key = SenseKey::illegal_request;
  sense.code = asc::kInvalidFieldInParameterList;
  sense.field = FieldPointer{.in_cdb = false, .byte = 0x0114, .bit = std::nullopt};
  EXPECT_EQ(to_hex(build_fixed_sense(sense)), "700005000000000a0000000026000080" "0114");
}

TEST(FixedSense, InformationSetsValid) {
  SenseData sense;
  sense.key = SenseKey::miscompare;
  sense.code = asc::kMiscompareDuringVerify;
  sense.information = 0x1234;
  EXPECT_EQ(to_hex(build_fixed_sense(sense)), "f0000e000012340a000000001d0000000000");
}

TEST(FixedSense, InformationAbove32BitsLeavesValidClear) {
  SenseData sense;
  sense.key = SenseKey::illegal_request;
  sense.code = asc::kLbaOutOfRange;
  sense.information = 0x100000000ull;
  const Bytes built = build_fixed_sense(sense);
  EXPECT_EQ(built[0], 0x70);
  EXPECT_EQ(to_hex(ByteView(built).subspan(3, 4)), "00000000");
}

TEST(FixedSense, DeferredAndIli) {
  SenseData sense;
  sense.key = SenseKey::medium_error;
  sense.code = asc::kWriteError;
  sense.deferred = true;
  sense.ili = true;
  EXPECT_EQ(to_hex(build_fixed_sense(sense)), "710023000000000a000000000c0000000000");
}

TEST(DescriptorSense, HeaderOnly) {
  SenseData sense;
  sense.key = SenseKey::unit_attention;
  sense.code = asc::kPowerOnResetOrBusDeviceReset;
  EXPECT_EQ(to_hex(build_descriptor_sense(sense)), "7206290000000000");
}

TEST(DescriptorSense, InformationAndFieldPointer) {
  SenseData sense;
  sense.key = SenseKey::illegal_request;
  sense.code = asc::kLbaOutOfRange;
  sense.information = 0x0102030405060708ull;
  sense.field = FieldPointer{.in_cdb = true, .byte = 2, .bit = std::nullopt};
  EXPECT_EQ(to_hex(build_descriptor_sense(sense)),
            "7205210000000014"            // header, 20 additional bytes
            "000a80000102030405060708"  // information descriptor, VALID
            "02060000c0000200");        // sense key specific: SKSV|C/D, byte 2
}

TEST(BuildSense, FollowsFormat) {
  SenseData sense;
  sense.key = SenseKey::data_protect;
  sense.code = asc::kWriteProtected;
  EXPECT_EQ(build_sense(sense, SenseFormat::fixed)[0], 0x70);
  EXPECT_EQ(build_sense(sense, SenseFormat::descriptor)[0], 0x72);
}

SenseData rich_sense() {
  SenseData sense;
  sense.key = SenseKey::illegal_request;
  sense.code = asc::kInvalidFieldInCdb;
  sense.information = 0x4000;
  sense.field = FieldPointer{.in_cdb = true, .byte = 9, .bit = 3};
  return sense;
}

TEST(ParseSense, RoundTripsBothFormats) {
  for (const auto format : {SenseFormat::fixed, SenseFormat::descriptor}) {
    SenseData sense = rich_sense();
    sense.format = format;
    const auto parsed = parse_sense(build_sense(sense, format));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, sense);
  }
}

TEST(ParseSense, ProgressIndicationForNotReady) {
  const auto parsed = parse_sense(hex("700002000000000a00000000041b00808000"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->key, SenseKey::not_ready);
  EXPECT_EQ(parsed->code, asc::kNotReadySanitizeInProgress);
  ASSERT_TRUE(parsed->progress.has_value());
  EXPECT_EQ(*parsed->progress, 0x8000);
  EXPECT_FALSE(parsed->field.has_value());
}

TEST(ParseSense, RejectsShortAndUnknownResponseCodes) {
  for (const char* bad : {"", "70", "70000500000000", "7f0005000000000a", "000005000000000a"}) {
    const auto parsed = parse_sense(hex(bad));
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().id(), "scsi.sense-malformed");
  }
}

TEST(ParseSense, EveryTruncationParsesOrFailsCleanly) {
  for (const auto format : {SenseFormat::fixed, SenseFormat::descriptor}) {
    const Bytes full = build_sense(rich_sense(), format);
    for (std::size_t n = 0; n <= full.size(); ++n) {
      const auto parsed = parse_sense(ByteView(full).first(n));
      EXPECT_EQ(parsed.ok(), n >= 8) << n;
      if (parsed.ok() && n == full.size()) {
        EXPECT_EQ(parsed->field, rich_sense().field);
      }
    }
  }
}

TEST(ParseSense, ShortenedFixedSenseKeepsWhatItHas) {
  // Only 14 bytes: the key-specific bytes are missing, the ASC is there.
  const auto parsed = parse_sense(hex("700005000000000a0000000024"  "00"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->code, asc::kInvalidFieldInCdb);
  EXPECT_FALSE(parsed->field.has_value());
}

TEST(ParseSense, DescriptorLengthBeyondDataStops) {
  // A descriptor claiming 0xff bytes inside a 12-byte buffer is ignored, not read past.
  const auto parsed = parse_sense(hex("72052400000000" "ff" "00ff0000"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->information.has_value());
}

TEST(ParseSense, OverlongInputIsCappedAt252Bytes) {
  Bytes big = build_descriptor_sense(rich_sense());
  big.resize(4096, 0);
  EXPECT_TRUE(parse_sense(big).ok());
}

}  // namespace
}  // namespace iscsi::scsi
