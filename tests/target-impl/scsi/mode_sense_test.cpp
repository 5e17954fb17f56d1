// MODE SENSE(6) and MODE SENSE(10) (SPC-4 §6.11, §6.12), byte for byte.
#include <string>

#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

const std::string kErrorRecovery = "010a" + std::string(20, '0');
const std::string kCaching = "0812" "04" + std::string(34, '0');
const std::string kControl = "0a0a" "02000000" "0000ffff" "0000";
const std::string kInformationalExceptions = "1c0a" "08" + std::string(18, '0');
const std::string kAllPages = kErrorRecovery + kCaching + kControl + kInformationalExceptions;
// 2048 blocks of 512 bytes.
const std::string kShortDescriptor = "00000800" "00000200";
const std::string kLongDescriptor = "0000000000000800" "00000000" "00000200";

class ModeSenseTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
  CommandResult sense6(std::uint8_t byte1, std::uint8_t byte2, std::uint8_t subpage = 0,
                       std::uint8_t allocation = 0xff) {
    return run(1, cdb16({0x1a, byte1, byte2, subpage, allocation, 0}));
  }
  CommandResult sense10(std::uint8_t byte1, std::uint8_t byte2, std::uint16_t allocation = 0x400) {
    return run(1, cdb16({0x5a, byte1, byte2, 0, 0, 0, 0, static_cast<std::uint8_t>(allocation >> 8),
                         static_cast<std::uint8_t>(allocation), 0}));
  }
};

TEST_F(ModeSenseTest, Sense6AllPagesWithBlockDescriptor) {
  const CommandResult result = sense6(0x00, 0x3f);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "43001008" + kShortDescriptor + kAllPages);
}

TEST_F(ModeSenseTest, Sense6AllPagesAndSubpagesWithoutDescriptor) {
  const CommandResult result = sense6(0x08, 0x3f, 0xff);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "3b001000" + kAllPages);
}

TEST_F(ModeSenseTest, Sense6OnePage) {
  const CommandResult result = sense6(0x08, 0x0a);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "0f001000" + kControl);
}

TEST_F(ModeSenseTest, Sense6TruncatesToAllocationLength) {
  const CommandResult result = sense6(0x00, 0x3f, 0, 4);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "43001008");
  EXPECT_TRUE(sense6(0x00, 0x3f, 0, 0).data_in.empty());
}

TEST_F(ModeSenseTest, Sense10LongLbaDescriptor) {
  const CommandResult result = sense10(0x10, 0x08);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "002a" "0010" "0100" "0010" + kLongDescriptor + kCaching);
}

TEST_F(ModeSenseTest, Sense10ShortDescriptor) {
  const CommandResult result = sense10(0x00, 0x1c);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in),
            "001a" "0010" "0000" "0008" + kShortDescriptor + kInformationalExceptions);
}

TEST_F(ModeSenseTest, ChangeableValues) {
  const CommandResult control = sense6(0x08, 0x40 | 0x0a);
  expect_good(control);
  EXPECT_EQ(to_hex(control.data_in), "0f001000" "0a0a" "0400080000000000" "0000");
  const CommandResult caching = sense6(0x08, 0x40 | 0x08);
  EXPECT_EQ(to_hex(caching.data_in), "17001000" "0812" "05" + std::string(34, '0'));
}

TEST_F(ModeSenseTest, DefaultValues) {
  const CommandResult result = sense6(0x08, 0x80 | 0x0a);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "0f001000" + kControl);
}

TEST_F(ModeSenseTest, SavedValuesAreNotSupported) {
  expect_check_condition(sense6(0x08, 0xc0 | 0x0a), SenseKey::illegal_request,
                         asc::kSavingParametersNotSupported, cdb_field(2, 7));
}

TEST_F(ModeSenseTest, UnknownPageAndSubpage) {
  expect_check_condition(sense6(0x08, 0x19), SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(2, 5));
  expect_check_condition(sense6(0x08, 0x0a, 0x01), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(3, 7));
}

TEST_F(ModeSenseTest, ReadonlyLunSetsWriteProtect) {
  build({memory_lun(1, 2048, kReadonly)});
  const CommandResult result = sense6(0x08, 0x0a);
  expect_good(result);
  EXPECT_EQ(to_hex(ByteView(result.data_in).first(4)), "0f009000");
}

TEST_F(ModeSenseTest, ControllerHasControlAndExceptionsPagesOnly) {
  const CommandResult result = run(0, cdb16({0x1a, 0x00, 0x3f, 0, 0xff, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "1b000000" + kControl + kInformationalExceptions);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
