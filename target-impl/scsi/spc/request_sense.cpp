// REQUEST SENSE (SPC-4 §6.39) and TEST UNIT READY (SPC-4 §6.47).
#include "target-impl/scsi/spc/handlers.hpp"

namespace iscsi::target::scsi::spc {

void test_unit_ready(const TaskPtr& task) {
  // The Port already answered NOT READY for a missing medium; a ready unit is simply GOOD.
  task->complete_good();
}

void request_sense(const TaskPtr& task) {
  const ByteView cdb = task->cdb();
  // SPC-4 §6.39: DESC selects the format of the returned data, whatever D_SENSE says.
  const auto format = (cdb[1] & 0x01) != 0 ? iscsi::scsi::SenseFormat::descriptor
                                           : iscsi::scsi::SenseFormat::fixed;
  const std::uint32_t allocation_length = cdb[4];
  SenseData sense;
  if (!task->has_lu()) {
    // SPC-4 §6.39: for a LUN without a logical unit, the sense data say so (GOOD status).
    sense.key = SenseKey::illegal_request;
    sense.code = asc::kLogicalUnitNotSupported;
  } else if (const auto pending = task->lu().pop_unit_attention(task->nexus().id)) {
    // SPC-4 §5.14: REQUEST SENSE reports (and so clears) a pending unit attention.
    sense.key = SenseKey::unit_attention;
    sense.code = *pending;
  } else if (task->lu().sanitize_in_progress()) {
    // SBC-4 §4.11: the sanitize operation's state, with how far it got in the
    // sense-key-specific PROGRESS INDICATION (SPC-4 §4.5.2.4.4).
    sense.key = SenseKey::not_ready;
    sense.code = asc::kNotReadySanitizeInProgress;
    sense.progress = task->lu().sanitize_progress();
  } else if (!task->lu().medium_present()) {
    sense.key = SenseKey::not_ready;
    sense.code = asc::kMediumNotPresent;
  }
  Bytes data = iscsi::scsi::build_sense(sense, format);
  truncate_to_allocation(data, allocation_length);
  task->complete_good(std::move(data));
}

}  // namespace iscsi::target::scsi::spc
