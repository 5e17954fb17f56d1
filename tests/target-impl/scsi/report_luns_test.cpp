// REPORT LUNS (SPC-4 §6.33).
#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class ReportLunsTest : public PortFixture {
 protected:
  void SetUp() override { build({memory_lun(1, 64), memory_lun(3, 64), memory_lun(300, 64)}); }
  CommandResult report(std::uint8_t select, std::uint32_t allocation, std::uint16_t lun = 1) {
    Bytes cdb = cdb16({0xa0, 0, select});
    store_be32(&cdb[6], allocation);
    return run(lun, cdb);
  }
};

TEST_F(ReportLunsTest, ListsEveryLogicalUnitWithLunZero) {
  for (const std::uint8_t select : std::initializer_list<std::uint8_t>{0x00, 0x02}) {
    const CommandResult result = report(select, 1024);
    expect_good(result);
    EXPECT_EQ(to_hex(result.data_in),
              "0000002000000000" "0000000000000000" "0001000000000000" "0003000000000000"
              "412c000000000000");
  }
}

TEST_F(ReportLunsTest, WellKnownOnlyIsEmpty) {
  const CommandResult result = report(0x01, 1024);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "0000000000000000");
}

TEST_F(ReportLunsTest, TruncatesButKeepsTheListLength) {
  const CommandResult result = report(0x00, 16);
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "00000020000000000000000000000000");
}

TEST_F(ReportLunsTest, BadSelectReportAndShortAllocation) {
  expect_check_condition(report(0x03, 1024), SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(2, 7));
  expect_check_condition(report(0x00, 15), SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(6, 7));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
