// RESERVE(6)/(10) and RELEASE(6)/(10) (SPC-2 §7.21-§7.24; obsolete in SPC-4 but still used).
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {

void reserve(const TaskPtr& task) {
  LogicalUnit& lu = task->lu();
  const NexusId nexus = task->nexus().id;
  // SPC-4 §5.13.3: RESERVE conflicts while persistent reservation registrations exist.
  if (!lu.pr().registrations.empty()) {
    task->complete_reservation_conflict();
    return;
  }
  // SPC-2 §5.5.1: the holder may reserve again; the Port already answered another holder's
  // RESERVE with RESERVATION CONFLICT.
  lu.reserve6_holder = nexus;
  task->complete_good();
}

void release(const TaskPtr& task) {
  LogicalUnit& lu = task->lu();
  // SPC-2 §7.23: a RELEASE from a nexus that does not hold the reservation is GOOD and does
  // nothing; so is one while persistent reservations are in use (SPC-4 §5.13.3).
  if (lu.reserve6_holder == task->nexus().id) lu.reserve6_holder.reset();
  task->complete_good();
}

}  // namespace iscsi::target::scsi::spc
