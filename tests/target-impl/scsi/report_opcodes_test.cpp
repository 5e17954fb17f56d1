// REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35) answered from the command table.
#include <set>
#include <utility>

#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

Bytes rsoc(std::uint8_t options, std::uint8_t opcode = 0, std::uint16_t action = 0,
           std::uint32_t allocation = 0x10000) {
  Bytes cdb = cdb16({0xa3, 0x0c, options, opcode});
  store_be16(&cdb[4], action);
  store_be32(&cdb[6], allocation);
  return cdb;
}

class ReportOpcodesTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
};

TEST_F(ReportOpcodesTest, AllCommandsListsTheTable) {
  const CommandResult result = run(1, rsoc(0x00));
  expect_good(result);
  const Bytes& data = result.data_in;
  ASSERT_GE(data.size(), 4u);
  EXPECT_EQ(load_be32(&data[0]), data.size() - 4);
  ASSERT_EQ((data.size() - 4) % 8, 0u);
  std::set<std::pair<int, int>> seen;
  for (std::size_t at = 4; at < data.size(); at += 8) {
    const bool servactv = (data[at + 5] & 0x01) != 0;
    const std::uint16_t action = load_be16(&data[at + 2]);
    if (!servactv) {
      EXPECT_EQ(action, 0);
    }
    EXPECT_NE(load_be16(&data[at + 6]), 0);
    seen.insert({data[at], servactv ? action : -1});
  }
  EXPECT_TRUE(seen.count({0x12, -1}));   // INQUIRY, 6 bytes
  EXPECT_TRUE(seen.count({0xa0, -1}));   // REPORT LUNS
  EXPECT_TRUE(seen.count({0x5e, 0x03}));  // PR IN READ FULL STATUS
  EXPECT_TRUE(seen.count({0x5f, 0x05}));  // PR OUT PREEMPT AND ABORT
  EXPECT_TRUE(seen.count({0xa3, 0x0c}));  // itself
  EXPECT_FALSE(seen.count({0x5e, 0x04}));
}

TEST_F(ReportOpcodesTest, OneCommandWithUsageData) {
  const CommandResult result = run(1, rsoc(0x01, 0x12));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "0003" "0006" "12" "01ffffff00");
}

TEST_F(ReportOpcodesTest, OneServiceAction) {
  const CommandResult result = run(1, rsoc(0x02, 0x5f, 0x01));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "0003" "000a" "5f1fff0000ffffffff00");
}

TEST_F(ReportOpcodesTest, TimeoutsDescriptorWithRctd) {
  const CommandResult one = run(1, rsoc(0x81, 0x00));
  expect_good(one);
  EXPECT_EQ(to_hex(one.data_in), "0083" "0006" "000000000000" "000a0000" "00000000" "00000000");
  const CommandResult all = run(1, rsoc(0x80));
  expect_good(all);
  EXPECT_EQ((all.data_in.size() - 4) % 20, 0u);
  EXPECT_EQ(all.data_in[4 + 5] & 0x02, 0x02);  // CTDP
}

TEST_F(ReportOpcodesTest, UnsupportedCommandsReportSupportNone) {
  EXPECT_EQ(to_hex(run(1, rsoc(0x01, 0xc7)).data_in), "00010000");
  EXPECT_EQ(to_hex(run(1, rsoc(0x02, 0x5e, 0x1f)).data_in), "00010000");
  EXPECT_EQ(to_hex(run(1, rsoc(0x03, 0x5e, 0x00)).data_in).substr(0, 8), "0003000a");
}

TEST_F(ReportOpcodesTest, WrongReportingOptionForTheOpcode) {
  // 001b for an opcode with service actions, 010b for one without.
  expect_check_condition(run(1, rsoc(0x01, 0x5e)), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(3, 7));
  expect_check_condition(run(1, rsoc(0x02, 0x12)), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(3, 7));
  expect_check_condition(run(1, rsoc(0x04)), SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(2, 2));
}

TEST_F(ReportOpcodesTest, AllocationLengthTruncates) {
  EXPECT_EQ(run(1, rsoc(0x00, 0, 0, 10)).data_in.size(), 10u);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
