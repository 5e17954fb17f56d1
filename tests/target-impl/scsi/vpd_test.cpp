// INQUIRY vital product data pages (SPC-4 §7.8, SBC-3 §6.5), byte for byte.
#include <string>
#include <vector>

#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class VpdTest : public PortFixture {
 protected:
  Bytes page(std::uint16_t lun, std::uint8_t code, std::uint8_t allocation = 0xff) {
    const CommandResult result = run(lun, cdb16({0x12, 0x01, code, 0x00, allocation, 0}));
    expect_good(result);
    return result.data_in;
  }
};

TEST_F(VpdTest, SupportedPages) {
  build_default();
  EXPECT_EQ(to_hex(page(1, 0x00)), "00000006008083b0b1b2");
  EXPECT_EQ(to_hex(page(0, 0x00)), "0c000003008083");
}

TEST_F(VpdTest, UnitSerialNumberDefaultsLikeTgt) {
  build_default();
  EXPECT_EQ(as_text(ByteView(page(1, 0x80)).subspan(4)), "beaf11");
  EXPECT_EQ(to_hex(ByteView(page(1, 0x80)).first(4)), "00800006");
}

struct Designator {
  std::uint8_t byte0, byte1;
  Bytes value;
};

std::vector<Designator> designators(const Bytes& data) {
  std::vector<Designator> out;
  std::size_t at = 4;
  while (at + 4 <= data.size()) {
    const std::size_t length = data[at + 3];
    out.push_back({data[at], data[at + 1],
                   Bytes(data.begin() + static_cast<std::ptrdiff_t>(at + 4),
                         data.begin() + static_cast<std::ptrdiff_t>(at + 4 + length))});
    at += 4 + length;
  }
  EXPECT_EQ(at, data.size());
  return out;
}

Bytes padded_name(std::string name) {
  Bytes value(name.begin(), name.end());
  value.push_back(0);
  while (value.size() % 4 != 0) value.push_back(0);
  return value;
}

TEST_F(VpdTest, DeviceIdentification) {
  build({memory_lun(1, 64), memory_lun(2, 64)});
  const Bytes data = page(1, 0x83);
  EXPECT_EQ(to_hex(ByteView(data).first(2)), "0083");
  EXPECT_EQ(load_be16(&data[2]), data.size() - 4);
  const auto list = designators(data);
  ASSERT_EQ(list.size(), 5u);
  // T10 vendor ID (ASCII, logical unit): tgt's SCSI ID.
  EXPECT_EQ(list[0].byte0, 0x02);
  EXPECT_EQ(list[0].byte1, 0x01);
  EXPECT_EQ(as_text(list[0].value), "IET     00010001");
  // NAA 3h, locally assigned, distinct per logical unit.
  EXPECT_EQ(list[1].byte0, 0x01);
  EXPECT_EQ(list[1].byte1, 0x03);
  ASSERT_EQ(list[1].value.size(), 8u);
  EXPECT_EQ(list[1].value[0] >> 4, 0x3);
  const auto other = designators(page(2, 0x83));
  EXPECT_NE(to_hex(other[1].value), to_hex(list[1].value));
  // Relative target port 1, iSCSI, target port association, PIV.
  EXPECT_EQ(list[2].byte0, 0x51);
  EXPECT_EQ(list[2].byte1, 0x94);
  EXPECT_EQ(to_hex(list[2].value), "00000001");
  // SCSI name strings of the target port and the target device.
  EXPECT_EQ(list[3].byte0, 0x53);
  EXPECT_EQ(list[3].byte1, 0x98);
  EXPECT_EQ(to_hex(list[3].value), to_hex(padded_name(std::string(kTargetName) + ",t,0x0001")));
  EXPECT_EQ(list[4].byte0, 0x53);
  EXPECT_EQ(list[4].byte1, 0xa8);
  EXPECT_EQ(to_hex(list[4].value), to_hex(padded_name(kTargetName)));
}

TEST_F(VpdTest, BlockLimitsFullyProvisioned) {
  build_default();
  // MAXIMUM TRANSFER LENGTH 65536 blocks (32 MiB), MAXIMUM ATOMIC TRANSFER LENGTH 1024.
  const std::string expected = "00b0003c" "00ff0008" "00010000" "00000080" "00000000"
                               "00000000" "00000000" "00000000" "00000000"
                               "0000000000400000" "00000400" "00000001" "00000001"
                               "0000000000000000";
  EXPECT_EQ(to_hex(page(1, 0xb0)), expected);
}

TEST_F(VpdTest, BlockLimitsThinReportsUnmapLimits) {
  build({memory_lun(1, 64, kThin)});
  const Bytes data = page(1, 0xb0);
  // MAXIMUM UNMAP LBA COUNT 1M blocks: libiscsi's Inquiry.BlockLimits refuses more.
  EXPECT_EQ(to_hex(ByteView(data).subspan(20, 16)), "0010000000000100" "0000000880000000");
}

TEST_F(VpdTest, BlockDeviceCharacteristicsNonRotatingWithSanitizeReadBehaviour) {
  build_default();
  const Bytes data = page(1, 0xb1);
  ASSERT_EQ(data.size(), 64u);
  // Byte 7: WABEREQ 01b, WACEREQ 01b, no nominal form factor.
  EXPECT_EQ(to_hex(ByteView(data).first(8)), "00b1003c00010050");
}

TEST_F(VpdTest, LogicalBlockProvisioning) {
  build({memory_lun(1, 64), memory_lun(2, 64, kThin)});
  EXPECT_EQ(to_hex(page(1, 0xb2)), "00b2000400000000");
  EXPECT_EQ(to_hex(page(2, 0xb2)), "00b2000400e40200");
}

TEST_F(VpdTest, AllocationLengthTruncates) {
  build_default();
  EXPECT_EQ(to_hex(page(1, 0x00, 5)), "0000000600");
}

TEST_F(VpdTest, UnsupportedPagesAreInvalidFields) {
  build_default();
  for (const int code : {0x01, 0x86, 0xb3, 0xff}) {
    expect_check_condition(run(1, cdb16({0x12, 0x01, static_cast<std::uint8_t>(code), 0, 0xff, 0})),
                           SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                           cdb_field(2, 7));
  }
  // The controller has no block device pages.
  expect_check_condition(run(0, cdb16({0x12, 0x01, 0xb0, 0, 0xff, 0})),
                         SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(2, 7));
  // Nor has a LUN without a logical unit.
  expect_check_condition(run(5, cdb16({0x12, 0x01, 0x00, 0, 0xff, 0})),
                         SenseKey::illegal_request, asc::kLogicalUnitNotSupported);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
