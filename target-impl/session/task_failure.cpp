#include "target-impl/session/task_failure.hpp"

#include "target-impl/scsi/port.hpp"

namespace iscsi::target::session {

std::string_view to_string(TaskFailure failure) {
  switch (failure) {
    case TaskFailure::unexpected_unsolicited_data:
      return "unexpected unsolicited data";
    case TaskFailure::incorrect_amount_of_data:
      return "incorrect amount of data";
    case TaskFailure::protocol_service_crc_error:
      return "protocol service CRC error";
    case TaskFailure::data_phase_error:
      return "data phase error";
    case TaskFailure::transfer_too_long:
      return "transfer too long";
    case TaskFailure::task_set_full:
      return "task set full";
  }
  return "unknown";
}

Bytes fixed_sense(std::uint8_t sense_key, std::uint8_t asc, std::uint8_t ascq) {
  // SPC-4 §4.5.3: byte 7 is the additional sense length (18 - 8 bytes).
  Bytes sense(18, 0);
  sense[0] = 0x70;
  sense[2] = sense_key;
  sense[7] = 10;
  sense[12] = asc;
  sense[13] = ascq;
  return sense;
}

FailureStatus failure_status(TaskFailure failure) {
  const auto aborted = [](std::uint8_t asc, std::uint8_t ascq) {
    return FailureStatus{scsi::kStatusCheckCondition,
                         fixed_sense(kSenseKeyAbortedCommand, asc, ascq)};
  };
  switch (failure) {
    case TaskFailure::unexpected_unsolicited_data:
      return aborted(0x0c, 0x0c);
    case TaskFailure::incorrect_amount_of_data:
      return aborted(0x0c, 0x0d);
    case TaskFailure::protocol_service_crc_error:
      return aborted(0x47, 0x05);
    case TaskFailure::data_phase_error:
      return aborted(0x4b, 0x00);
    case TaskFailure::transfer_too_long:
      return {scsi::kStatusCheckCondition, fixed_sense(kSenseKeyIllegalRequest, 0x24, 0x00)};
    case TaskFailure::task_set_full:
      return {scsi::kStatusTaskSetFull, {}};
  }
  return {scsi::kStatusCheckCondition, fixed_sense(kSenseKeyAbortedCommand, 0, 0)};
}

}  // namespace iscsi::target::session
