#include "initiator-impl/io/scsi_text.hpp"

#include <fmt/format.h>

#include <array>

#include "core/pdu/describe.hpp"

namespace iscsi::initiator::io {
namespace {

struct NamedCode {
  scsi::AdditionalSense code;
  std::string_view name;
};

// The codes a target is likely to send an initiator that reads, writes and asks (SPC-4 table
// 49, by their standard names).
constexpr std::array kNamedCodes{
    NamedCode{scsi::asc::kNoAdditionalSense, "NO ADDITIONAL SENSE INFORMATION"},
    NamedCode{scsi::asc::kNotReadyCauseNotReportable,
              "LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE"},
    NamedCode{scsi::asc::kNotReadyBecomingReady, "LOGICAL UNIT IS IN PROCESS OF BECOMING READY"},
    NamedCode{scsi::asc::kNotReadyInitializingCommandRequired,
              "LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED"},
    NamedCode{scsi::asc::kNotReadyManualIntervention,
              "LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED"},
    NamedCode{scsi::asc::kNotReadyFormatInProgress, "LOGICAL UNIT NOT READY, FORMAT IN PROGRESS"},
    NamedCode{scsi::asc::kWriteError, "WRITE ERROR"},
    NamedCode{scsi::asc::kUnrecoveredReadError, "UNRECOVERED READ ERROR"},
    NamedCode{scsi::asc::kParameterListLengthError, "PARAMETER LIST LENGTH ERROR"},
    NamedCode{scsi::asc::kMiscompareDuringVerify, "MISCOMPARE DURING VERIFY OPERATION"},
    NamedCode{scsi::asc::kInvalidCommandOperationCode, "INVALID COMMAND OPERATION CODE"},
    NamedCode{scsi::asc::kLbaOutOfRange, "LOGICAL BLOCK ADDRESS OUT OF RANGE"},
    NamedCode{scsi::asc::kInvalidFieldInCdb, "INVALID FIELD IN CDB"},
    NamedCode{scsi::asc::kLogicalUnitNotSupported, "LOGICAL UNIT NOT SUPPORTED"},
    NamedCode{scsi::asc::kInvalidFieldInParameterList, "INVALID FIELD IN PARAMETER LIST"},
    NamedCode{scsi::asc::kWriteProtected, "WRITE PROTECTED"},
    NamedCode{scsi::asc::kSoftwareWriteProtected, "SOFTWARE WRITE PROTECTED"},
    NamedCode{scsi::asc::kSpaceAllocationFailedWriteProtect,
              "SPACE ALLOCATION FAILED WRITE PROTECT"},
    NamedCode{scsi::asc::kNotReadyToReadyChange,
              "NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED"},
    NamedCode{scsi::asc::kPowerOnResetOrBusDeviceReset,
              "POWER ON, RESET, OR BUS DEVICE RESET OCCURRED"},
    NamedCode{scsi::asc::kPowerOnOccurred, "POWER ON OCCURRED"},
    NamedCode{scsi::asc::kBusDeviceResetFunctionOccurred, "BUS DEVICE RESET FUNCTION OCCURRED"},
    NamedCode{scsi::asc::kItNexusLoss, "I_T NEXUS LOSS OCCURRED"},
    NamedCode{scsi::asc::kParametersChanged, "PARAMETERS CHANGED"},
    NamedCode{scsi::asc::kReservationsPreempted, "RESERVATIONS PREEMPTED"},
    NamedCode{scsi::asc::kReservationsReleased, "RESERVATIONS RELEASED"},
    NamedCode{scsi::asc::kRegistrationsPreempted, "REGISTRATIONS PREEMPTED"},
    NamedCode{scsi::asc::kCapacityDataHasChanged, "CAPACITY DATA HAS CHANGED"},
    NamedCode{scsi::asc::kCommandSequenceError, "COMMAND SEQUENCE ERROR"},
    NamedCode{scsi::asc::kCommandsClearedByAnotherInitiator,
              "COMMANDS CLEARED BY ANOTHER INITIATOR"},
    NamedCode{scsi::asc::kMediumNotPresent, "MEDIUM NOT PRESENT"},
    NamedCode{scsi::asc::kInquiryDataHasChanged, "INQUIRY DATA HAS CHANGED"},
    NamedCode{scsi::asc::kReportedLunsDataHasChanged, "REPORTED LUNS DATA HAS CHANGED"},
    NamedCode{scsi::asc::kInternalTargetFailure, "INTERNAL TARGET FAILURE"},
    NamedCode{scsi::asc::kMediumRemovalPrevented, "MEDIUM REMOVAL PREVENTED"},
};

std::string sense_text(ByteView sense) {
  if (sense.empty()) return "no sense data";
  auto parsed = scsi::parse_sense(sense);
  if (!parsed.ok()) return fmt::format("unreadable sense data ({})", parsed.error().detail);
  std::string text = fmt::format("sense key {}, {}", sense_key_name(parsed->key),
                                 additional_sense_text(parsed->code));
  if (parsed->information) text += fmt::format(", information {}", *parsed->information);
  return text;
}

}  // namespace

std::string status_name(std::uint8_t status) {
  // The names SAM-5 §5.3.1 gives; a reserved code is shown as its byte.
  const std::string_view name = pdu::scsi_status_name(status);
  return name == "reserved" ? fmt::format("0x{:02x}", status) : std::string(name);
}

std::string_view sense_key_name(scsi::SenseKey key) {
  using scsi::SenseKey;
  switch (key) {
    case SenseKey::no_sense:
      return "NO SENSE";
    case SenseKey::recovered_error:
      return "RECOVERED ERROR";
    case SenseKey::not_ready:
      return "NOT READY";
    case SenseKey::medium_error:
      return "MEDIUM ERROR";
    case SenseKey::hardware_error:
      return "HARDWARE ERROR";
    case SenseKey::illegal_request:
      return "ILLEGAL REQUEST";
    case SenseKey::unit_attention:
      return "UNIT ATTENTION";
    case SenseKey::data_protect:
      return "DATA PROTECT";
    case SenseKey::blank_check:
      return "BLANK CHECK";
    case SenseKey::vendor_specific:
      return "VENDOR SPECIFIC";
    case SenseKey::copy_aborted:
      return "COPY ABORTED";
    case SenseKey::aborted_command:
      return "ABORTED COMMAND";
    case SenseKey::reserved_c:
      return "RESERVED (0xC)";
    case SenseKey::volume_overflow:
      return "VOLUME OVERFLOW";
    case SenseKey::miscompare:
      return "MISCOMPARE";
    case SenseKey::completed:
      return "COMPLETED";
  }
  return "UNKNOWN";
}

std::string additional_sense_text(scsi::AdditionalSense code) {
  for (const NamedCode& named : kNamedCodes) {
    if (named.code == code) {
      return fmt::format("{} (ASC 0x{:02x}, ASCQ 0x{:02x})", named.name, code.asc, code.ascq);
    }
  }
  return fmt::format("ASC 0x{:02x}, ASCQ 0x{:02x}", code.asc, code.ascq);
}

std::string command_problem(const session::CommandCompleted& completed) {
  if (completed.failure) {
    return fmt::format("{} ({})", session::to_string(completed.failure->reason),
                       completed.failure->detail);
  }
  if (completed.response != pdu::ScsiResponseCode::command_completed_at_target) {
    return fmt::format("iSCSI response 0x{:02x} (target failure)",
                       static_cast<unsigned>(completed.response));
  }
  if (completed.status == kStatusGood) return {};
  if (completed.status == kStatusCheckCondition) {
    return fmt::format("status CHECK CONDITION, {}", sense_text(completed.sense));
  }
  return fmt::format("status {}", status_name(completed.status));
}

bool is_unit_attention(const session::CommandCompleted& completed) {
  if (completed.failure || completed.status != kStatusCheckCondition) return false;
  auto parsed = scsi::parse_sense(completed.sense);
  return parsed.ok() && parsed->key == scsi::SenseKey::unit_attention;
}

}  // namespace iscsi::initiator::io
