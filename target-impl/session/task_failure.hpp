#pragma once
// How a SCSI task ends when the iSCSI layer, not the device, decides its status: the write
// data did not arrive as the RFC requires, or the session cannot take it. The status and the
// fixed-format sense data (SPC-4 §4.5.3) of each case; the iSCSI-specific ABORTED COMMAND codes
// come from RFC 7143 §11.4.7.2.
#include <cstdint>
#include <string_view>

#include "core/common/bytes.hpp"

namespace iscsi::target::session {

enum class TaskFailure : std::uint8_t {
  unexpected_unsolicited_data,  // ABORTED COMMAND 0x0C/0x0C (RFC 7143 §11.4.7.2)
  incorrect_amount_of_data,     // ABORTED COMMAND 0x0C/0x0D
  protocol_service_crc_error,   // ABORTED COMMAND 0x47/0x05: a data digest error (§7.8)
  data_phase_error,             // ABORTED COMMAND 0x4B/0x00: DataSN or Buffer Offset error
  transfer_too_long,            // ILLEGAL REQUEST 0x24/0x00: EDTL over kMaxWriteTransferLength
  task_set_full,                // TASK SET FULL, no sense: the session's write buffers are full
};

std::string_view to_string(TaskFailure failure);

struct FailureStatus {
  std::uint8_t status = 0;
  Bytes sense;  // empty for TASK SET FULL
};

FailureStatus failure_status(TaskFailure failure);

// Fixed-format sense data (response code 0x70, current error) with one sense key and
// ASC/ASCQ; 18 bytes.
Bytes fixed_sense(std::uint8_t sense_key, std::uint8_t asc, std::uint8_t ascq);

inline constexpr std::uint8_t kSenseKeyIllegalRequest = 0x05;
inline constexpr std::uint8_t kSenseKeyAbortedCommand = 0x0b;

}  // namespace iscsi::target::session
