// START STOP UNIT (SBC-3 §5.25) and PREVENT ALLOW MEDIUM REMOVAL (SBC-3 §5.12).
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

Bytes start_stop(std::uint8_t byte4, std::uint8_t byte1 = 0) {
  return cdb16({0x1b, byte1, 0, 0, byte4, 0});
}
Bytes prevent(std::uint8_t value) { return cdb16({0x1e, 0, 0, 0, value, 0}); }

class StartStopTest : public PortFixture {};

TEST_F(StartStopTest, EjectAndLoadRemovableMedium) {
  build({memory_lun(1, 64, kRemovable)});
  expect_good(run(1, start_stop(0x02, 0x01)));  // LOEJ, IMMED
  expect_check_condition(run(1, cdb16({0x00})), SenseKey::not_ready, asc::kMediumNotPresent);
  expect_good(run(1, start_stop(0x03)));  // LOEJ + START: load
  expect_good(run(1, cdb16({0x00})));
}

TEST_F(StartStopTest, FixedMediumCannotBeEjected) {
  build_default();
  expect_check_condition(run(1, start_stop(0x02)), SenseKey::illegal_request,
                         asc::kInvalidFieldInCdb, cdb_field(4, 1));
  expect_good(run(1, cdb16({0x00})));
  // START without LOEJ only spins up: nothing to do.
  expect_good(run(1, start_stop(0x01)));
  expect_good(run(1, start_stop(0x00)));
}

TEST_F(StartStopTest, PowerConditionIgnoresLoej) {
  build({memory_lun(1, 64, kRemovable)});
  for (std::uint8_t condition = 1; condition < 16; ++condition) {
    expect_good(run(1, start_stop(static_cast<std::uint8_t>((condition << 4) | 0x02))));
    expect_good(run(1, cdb16({0x00})));
  }
}

TEST_F(StartStopTest, PreventBlocksEjectUntilAllowed) {
  build({memory_lun(1, 64, kRemovable)});
  expect_good(run(1, prevent(1)));
  expect_check_condition(run(1, start_stop(0x02)), SenseKey::illegal_request,
                         asc::kMediumRemovalPrevented);
  expect_good(run(1, cdb16({0x00})));
  expect_good(run(1, prevent(0)));
  expect_good(run(1, start_stop(0x02)));
}

TEST_F(StartStopTest, PreventIsPerNexus) {
  build({memory_lun(1, 64, kRemovable)});
  expect_good(run(1, prevent(1), kNexusA));
  expect_good(run(1, prevent(1), kNexusB));
  expect_good(run(1, prevent(0), kNexusA));
  expect_check_condition(run(1, start_stop(0x02)), SenseKey::illegal_request,
                         asc::kMediumRemovalPrevented);
  // SPC-4 §6.13: an I_T nexus loss ends that nexus's prevention.
  port_->nexus_removed(kNexusB);
  expect_good(run(1, start_stop(0x02)));
}

TEST_F(StartStopTest, ResetsEndPrevention) {
  build({memory_lun(1, 64, kRemovable)});
  expect_good(run(1, prevent(1)));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset,
                                     *pdu::Lun::from_number(1)));
  clear_unit_attentions(kNexusA);  // the reset tells the issuer too (SAM-5 §6.3.3)
  expect_good(run(1, start_stop(0x02)));
  expect_good(run(1, start_stop(0x03)));
  expect_good(run(1, prevent(1)));
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::target_warm_reset,
                                     *pdu::Lun::from_number(0)));
  expect_good(run(1, start_stop(0x02)));
}

TEST_F(StartStopTest, PreventOnFixedDiskIsAcceptedAndObsoleteValuesAreNot) {
  build_default();
  expect_good(run(1, prevent(1)));
  expect_good(run(1, prevent(0)));
  expect_check_condition(run(1, prevent(2)), SenseKey::illegal_request, asc::kInvalidFieldInCdb,
                         cdb_field(4, 1));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
