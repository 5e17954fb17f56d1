// START STOP UNIT (SBC-3 §5.25) and PREVENT ALLOW MEDIUM REMOVAL (SBC-3 §5.12, SPC-4 §6.13).
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {
namespace {

constexpr std::uint8_t kStart = 0x01;
constexpr std::uint8_t kLoej = 0x02;

}  // namespace

void start_stop_unit(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  LogicalUnit& lu = task->lu();
  const std::uint8_t power_condition = cdb[4] >> 4;
  // SBC-3 §5.25: with a POWER CONDITION other than 0h, START and LOEJ are ignored; this
  // device has no power conditions to enter, so the command does nothing.
  if (power_condition != 0 || (cdb[4] & kLoej) == 0) {
    task->complete_good();
    return;
  }
  // LOEJ on a medium that cannot be removed (RMB clear) is an invalid field.
  if (!lu.removable()) {
    task->fail_invalid_field_in_cdb(4, 1);
    return;
  }
  const bool start = (cdb[4] & kStart) != 0;
  if (!start && lu.removal_prevented()) {
    // SBC-3 §5.25: an eject while removal is prevented.
    task->complete_check_condition(SenseKey::illegal_request, asc::kMediumRemovalPrevented);
    return;
  }
  lu.set_medium_present(start);
  task->complete_good();
}

void prevent_allow_medium_removal(const TaskPtr& task) {
  const std::uint8_t prevent = task->cdb()[4] & 0x03;
  // SBC-3 §5.12, table 39: 00b allow, 01b prevent; 10b and 11b are obsolete (changer
  // commands), not supported here.
  if (prevent > 1) {
    task->fail_invalid_field_in_cdb(4, 1);
    return;
  }
  LogicalUnit& lu = task->lu();
  // SPC-4 §6.13: prevention only means something for removable media; a fixed disk accepts
  // the command and ignores it.
  if (lu.removable()) lu.set_prevent(task->nexus().id, prevent == 1);
  task->complete_good();
}

}  // namespace iscsi::target::scsi::spc
