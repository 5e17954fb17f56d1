// Device side effects of task management (SAM-5 §7, RFC 7143 §11.5.1): unit attentions for
// the other nexuses, mode pages back to defaults, has_lun answers.
#include "tests/target-impl/scsi/port_fixture.hpp"

#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi::test {
namespace {

using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

pdu::Lun lun(std::uint16_t number) { return *pdu::Lun::from_number(number); }

class TaskManagementTest : public PortFixture {
 protected:
  void SetUp() override { build({memory_lun(1, 64), memory_lun(2, 64)}); }
  void set_swp() {
    Bytes list;
    parse_hex("000000000a0a020008000000ffff0000", list);
    expect_good(run(1, cdb16({0x15, 0x10, 0, 0, static_cast<std::uint8_t>(list.size()), 0}),
                    kNexusA, list));
    clear_unit_attentions(kNexusB);
  }
};

TEST_F(TaskManagementTest, LogicalUnitResetTellsEveryNexusTheIssuerToo) {
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset, lun(1)));
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kBusDeviceResetFunctionOccurred);
  expect_good(run(1, cdb16({0x00}), kNexusA));
  expect_check_condition(run(1, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                         asc::kBusDeviceResetFunctionOccurred);
  expect_good(run(1, cdb16({0x00}), kNexusB));
  expect_good(run(2, cdb16({0x00}), kNexusB));  // other logical units are untouched
}

TEST_F(TaskManagementTest, LogicalUnitResetRestoresModePages) {
  set_swp();
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset, lun(1)));
  expect_check_condition(run(1, cdb16({0x00}), kNexusA), SenseKey::unit_attention,
                         asc::kBusDeviceResetFunctionOccurred);
  const CommandResult result = run(1, cdb16({0x1a, 0x08, 0x0a, 0, 0xff, 0}));
  EXPECT_EQ(to_hex(result.data_in), "0f001000" "0a0a020000000000ffff0000");
}

TEST_F(TaskManagementTest, WarmResetTellsOthersOnEveryLun) {
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::target_warm_reset, lun(0)));
  for (const std::uint16_t number : std::initializer_list<std::uint16_t>{0, 1, 2}) {
    expect_good(run(number, cdb16({0x00}), kNexusA));
    expect_check_condition(run(number, cdb16({0x00}), kNexusB), SenseKey::unit_attention,
                           asc::kPowerOnResetOrBusDeviceReset);
  }
}

TEST_F(TaskManagementTest, ColdResetTellsEveryone) {
  EXPECT_TRUE(port_->task_management(kNexusA, TaskManagement::target_cold_reset, lun(0)));
  for (const NexusId nexus : {kNexusA, kNexusB}) {
    expect_check_condition(run(2, cdb16({0x00}), nexus), SenseKey::unit_attention,
                           asc::kPowerOnResetOrBusDeviceReset);
  }
}

TEST_F(TaskManagementTest, AbortFunctionsOnlyCheckTheLun) {
  for (const auto function : {TaskManagement::abort_task, TaskManagement::abort_task_set,
                              TaskManagement::clear_aca, TaskManagement::clear_task_set}) {
    EXPECT_TRUE(port_->task_management(kNexusA, function, lun(1)));
    EXPECT_FALSE(port_->task_management(kNexusA, function, lun(9)));
  }
  EXPECT_FALSE(port_->task_management(kNexusA, TaskManagement::logical_unit_reset, lun(9)));
  expect_good(run(1, cdb16({0x00}), kNexusB));
}

}  // namespace
}  // namespace iscsi::target::scsi::test
