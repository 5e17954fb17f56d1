// INQUIRY standard data (SPC-4 §6.6.2), byte for byte.
#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

std::string standard_inquiry_hex(std::string_view byte0_1, std::string_view product) {
  return std::string(byte0_1) + "06123d000002" + "4945542020202020" + std::string(product) +
         "30303031" + std::string(44, '0') + "00a0096004600" + "4c0";
}

constexpr std::string_view kVirtualDisk = "5649525455414c2d4449534b20202020";
constexpr std::string_view kController = "436f6e74726f6c6c6572202020202020";

class InquiryTest : public PortFixture {};

TEST_F(InquiryTest, DiskStandardData) {
  build_default();
  const CommandResult result = run(1, cdb16({0x12, 0, 0, 0x01, 0x04, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), standard_inquiry_hex("0000", kVirtualDisk));
}

TEST_F(InquiryTest, RemovableDiskSetsRmb) {
  build({memory_lun(1, 64, kRemovable)});
  const CommandResult result = run(1, cdb16({0x12, 0, 0, 0, 0xff, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), standard_inquiry_hex("0080", kVirtualDisk));
}

TEST_F(InquiryTest, LunZeroIsAStorageArrayController) {
  build_default();
  const CommandResult result = run(0, cdb16({0x12, 0, 0, 0, 0xff, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), standard_inquiry_hex("0c00", kController));
}

TEST_F(InquiryTest, AllocationLengthTruncatesEveryLength) {
  build_default();
  const Bytes full = run(1, cdb16({0x12, 0, 0, 0, 0xff, 0})).data_in;
  for (std::uint8_t length = 0; length < 80; ++length) {
    const CommandResult result = run(1, cdb16({0x12, 0, 0, 0, length, 0}));
    expect_good(result);
    EXPECT_EQ(to_hex(result.data_in),
              to_hex(ByteView(full).first(std::min<std::size_t>(length, full.size()))));
  }
}

TEST_F(InquiryTest, PageCodeWithoutEvpdIsInvalid) {
  build_default();
  expect_check_condition(run(1, cdb16({0x12, 0x00, 0x01, 0x01, 0x00, 0})),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(2, 7));
}

TEST_F(InquiryTest, ObsoleteCmddtBitIsInvalid) {
  build_default();
  expect_check_condition(run(1, cdb16({0x12, 0x02, 0x00, 0x00, 0xff, 0})),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(1, 1));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
