// Adding and removing logical units at run time (ConfigurablePort): REPORTED LUNS DATA HAS
// CHANGED on the remaining units, state kept on the untouched ones (SPC-4 §6.33, SAM-5 §5.14).
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

const Bytes kReportLuns = cdb16({0xa0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0});

class LunChangesTest : public PortFixture {
 protected:
  void SetUp() override { build_default(); }
};

TEST_F(LunChangesTest, AddedLunIsReportedAndAnnounced) {
  expect_good(run(1, cdb16({0x16}), kNexusA));  // RESERVE(6) survives the change
  ASSERT_TRUE(port_->add_lun(memory_lun(4, 64)));
  luns_.push_back(4);
  EXPECT_TRUE(port_->has_lun(*pdu::Lun::from_number(4)));
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kReportedLunsDataHasChanged);
  expect_check_condition(run(4, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
  expect_good(run(4, cdb16({0x00}), kNexusA));
  EXPECT_EQ(run(1, cdb16({0x00}), kNexusB).status, kStatusCheckCondition);  // 3Fh/0Eh
  EXPECT_EQ(run(1, cdb16({0x00}), kNexusB).status, kStatusReservationConflict);
  const CommandResult list = run(0, kReportLuns, kNexusA);
  EXPECT_EQ(to_hex(list.data_in), "0000001800000000" "0000000000000000" "0001000000000000"
                                  "0004000000000000");
}

TEST_F(LunChangesTest, ReportLunsClearsTheConditionOnEveryUnit) {
  ASSERT_TRUE(port_->add_lun(memory_lun(2, 64)));
  expect_good(run(0, kReportLuns, kNexusB));
  expect_good(run(0, cdb16({0x00}), kNexusB));
  expect_good(run(1, cdb16({0x00}), kNexusB));
}

TEST_F(LunChangesTest, RemovedLunIsGone) {
  ASSERT_TRUE(port_->add_lun(memory_lun(2, 64)));
  expect_good(run(0, kReportLuns, kNexusA));
  ASSERT_TRUE(port_->remove_lun(2));
  EXPECT_FALSE(port_->has_lun(*pdu::Lun::from_number(2)));
  expect_check_condition(run(2, cdb16({0x00}), kNexusA), SenseKey::illegal_request,
                         asc::kLogicalUnitNotSupported);
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kReportedLunsDataHasChanged);
}

TEST_F(LunChangesTest, RefusesBadNumbers) {
  EXPECT_FALSE(port_->add_lun(memory_lun(0, 64)));
  EXPECT_FALSE(port_->add_lun(memory_lun(1, 64)));
  EXPECT_FALSE(port_->add_lun(memory_lun(16384, 64)));
  EXPECT_FALSE(port_->remove_lun(0));
  EXPECT_FALSE(port_->remove_lun(9));
  expect_good(run(1, cdb16({0x00}), kNexusA));  // nothing changed, nothing announced
}

}  // namespace
}  // namespace iscsi::target::scsi::test
