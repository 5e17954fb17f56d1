// Unit attention conditions (SAM-5 §5.14, SPC-4 §5.14): reported once per nexus and LUN,
// except to INQUIRY, REPORT LUNS and REQUEST SENSE; REQUEST SENSE returns and clears them.
#include "tests/target-impl/scsi/port_fixture.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class UnitAttentionTest : public PortFixture {
 protected:
  void SetUp() override { build({memory_lun(1, 64)}, /*clear_unit_attentions=*/false); }
};

TEST_F(UnitAttentionTest, NewNexusSeesPowerOnResetOnceOnEachLun) {
  expect_check_condition(run(1, cdb16({0x00})), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
  expect_good(run(1, cdb16({0x00})));
  // LUN 0 keeps its own condition.
  expect_check_condition(run(0, cdb16({0x00})), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
  // Nexus B still has its own.
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
}

TEST_F(UnitAttentionTest, InquiryAndReportLunsNeitherReportNorClear) {
  expect_good(run(1, cdb16({0x12, 0, 0, 0, 0x24, 0})));
  expect_good(run(1, cdb16({0xa0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0})));
  expect_check_condition(run(1, cdb16({0x00})), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
}

TEST_F(UnitAttentionTest, UnknownOpcodeStillReportsTheUnitAttentionFirst) {
  expect_check_condition(run(1, cdb16({0xc7})), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
  expect_check_condition(run(1, cdb16({0xc7})), SenseKey::illegal_request,
                         asc::kInvalidCommandOperationCode);
}

TEST_F(UnitAttentionTest, RequestSenseReturnsAndClears) {
  const CommandResult sense = run(1, cdb16({0x03, 0, 0, 0, 18, 0}));
  expect_good(sense);
  EXPECT_EQ(to_hex(sense.data_in),
            to_hex(expected_fixed_sense(SenseKey::unit_attention,
                                        asc::kPowerOnResetOrBusDeviceReset)));
  expect_good(run(1, cdb16({0x00})));
  const CommandResult none = run(1, cdb16({0x03, 0, 0, 0, 18, 0}));
  EXPECT_EQ(to_hex(none.data_in), "700000000000000a00000000000000000000");
}

TEST_F(UnitAttentionTest, ReaddedNexusStartsOverAndRemovedNexusForgets) {
  clear_unit_attentions(kNexusA);
  port_->nexus_removed(kNexusA);
  expect_good(run(1, cdb16({0x00})));  // nothing queued for an unknown nexus
  add_nexus(kNexusA);
  expect_check_condition(run(1, cdb16({0x00})), SenseKey::unit_attention,
                         asc::kPowerOnResetOrBusDeviceReset);
}

}  // namespace
}  // namespace iscsi::target::scsi::test
