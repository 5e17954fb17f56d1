// REQUEST SENSE (SPC-4 §6.39) and TEST UNIT READY (SPC-4 §6.47).
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class RequestSenseTest : public PortFixture {
 protected:
  void SetUp() override { build({memory_lun(1, 64, kRemovable)}); }
};

TEST_F(RequestSenseTest, NoSenseFixedAndDescriptor) {
  const CommandResult fixed = run(1, cdb16({0x03, 0x00, 0, 0, 0xfc, 0}));
  expect_good(fixed);
  EXPECT_EQ(to_hex(fixed.data_in), "700000000000000a00000000000000000000");
  const CommandResult descriptor = run(1, cdb16({0x03, 0x01, 0, 0, 0xfc, 0}));
  expect_good(descriptor);
  EXPECT_EQ(to_hex(descriptor.data_in), "7200000000000000");
}

TEST_F(RequestSenseTest, AllocationLengthTruncates) {
  const CommandResult result = run(1, cdb16({0x03, 0x00, 0, 0, 8, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "700000000000000a");
  EXPECT_TRUE(run(1, cdb16({0x03, 0x00, 0, 0, 0, 0})).data_in.empty());
}

TEST_F(RequestSenseTest, MediumNotPresentAfterEject) {
  expect_good(run(1, cdb16({0x1b, 0, 0, 0, 0x02, 0})));
  expect_check_condition(run(1, cdb16({0x00})), SenseKey::not_ready, asc::kMediumNotPresent);
  const CommandResult result = run(1, cdb16({0x03, 0x00, 0, 0, 0xfc, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in),
            to_hex(expected_fixed_sense(SenseKey::not_ready, asc::kMediumNotPresent)));
}

TEST_F(RequestSenseTest, DescriptorUnitAttention) {
  port_->task_management(kNexusB, TaskManagement::logical_unit_reset, *pdu::Lun::from_number(1));
  const CommandResult result = run(1, cdb16({0x03, 0x01, 0, 0, 0xfc, 0}));
  expect_good(result);
  EXPECT_EQ(to_hex(result.data_in), "7206290300000000");
}

TEST_F(RequestSenseTest, TestUnitReadyGood) { expect_good(run(1, cdb16({0x00}))); }

}  // namespace
}  // namespace iscsi::target::scsi::test
