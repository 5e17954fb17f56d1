#pragma once
// SCSI sense data (SPC-4 §4.5): sense keys, additional sense codes, builders for the fixed
// (response code 70h) and descriptor (72h) formats, and a parser for both. The target builds
// sense data for CHECK CONDITION; the initiator parses what a target sends, so the parser treats
// its input as untrusted peer bytes.
#include <cstdint>
#include <optional>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace iscsi::scsi {

// SPC-4 §4.5.6, table 48.
enum class SenseKey : std::uint8_t {
  no_sense = 0x0,
  recovered_error = 0x1,
  not_ready = 0x2,
  medium_error = 0x3,
  hardware_error = 0x4,
  illegal_request = 0x5,
  unit_attention = 0x6,
  data_protect = 0x7,
  blank_check = 0x8,
  vendor_specific = 0x9,
  copy_aborted = 0xa,
  aborted_command = 0xb,
  reserved_c = 0xc,
  volume_overflow = 0xd,
  miscompare = 0xe,
  completed = 0xf,
};

// An additional sense code and its qualifier (SPC-4 §4.5.6, table 49).
struct AdditionalSense {
  std::uint8_t asc = 0;
  std::uint8_t ascq = 0;
  bool operator==(const AdditionalSense&) const = default;
};

// Named codes from SPC-4 table 49 (and SBC-3 where noted), by their standard names.
namespace asc {
inline constexpr AdditionalSense kNoAdditionalSense{0x00, 0x00};
inline constexpr AdditionalSense kNotReadyCauseNotReportable{0x04, 0x00};
inline constexpr AdditionalSense kNotReadyBecomingReady{0x04, 0x01};
inline constexpr AdditionalSense kNotReadyInitializingCommandRequired{0x04, 0x02};
inline constexpr AdditionalSense kNotReadyManualIntervention{0x04, 0x03};
inline constexpr AdditionalSense kNotReadyFormatInProgress{0x04, 0x04};
inline constexpr AdditionalSense kNotReadySanitizeInProgress{0x04, 0x1b};
inline constexpr AdditionalSense kWriteError{0x0c, 0x00};
inline constexpr AdditionalSense kUnrecoveredReadError{0x11, 0x00};
inline constexpr AdditionalSense kParameterListLengthError{0x1a, 0x00};
inline constexpr AdditionalSense kMiscompareDuringVerify{0x1d, 0x00};
inline constexpr AdditionalSense kInvalidCommandOperationCode{0x20, 0x00};
inline constexpr AdditionalSense kLbaOutOfRange{0x21, 0x00};
inline constexpr AdditionalSense kInvalidFieldInCdb{0x24, 0x00};
inline constexpr AdditionalSense kLogicalUnitNotSupported{0x25, 0x00};
inline constexpr AdditionalSense kInvalidFieldInParameterList{0x26, 0x00};
inline constexpr AdditionalSense kParameterNotSupported{0x26, 0x01};
inline constexpr AdditionalSense kParameterValueInvalid{0x26, 0x02};
inline constexpr AdditionalSense kInvalidReleaseOfPersistentReservation{0x26, 0x04};
inline constexpr AdditionalSense kWriteProtected{0x27, 0x00};
inline constexpr AdditionalSense kHardwareWriteProtected{0x27, 0x01};
inline constexpr AdditionalSense kSoftwareWriteProtected{0x27, 0x02};
inline constexpr AdditionalSense kNotReadyToReadyChange{0x28, 0x00};
inline constexpr AdditionalSense kPowerOnResetOrBusDeviceReset{0x29, 0x00};
inline constexpr AdditionalSense kPowerOnOccurred{0x29, 0x01};
inline constexpr AdditionalSense kBusResetOccurred{0x29, 0x02};
inline constexpr AdditionalSense kBusDeviceResetFunctionOccurred{0x29, 0x03};
inline constexpr AdditionalSense kDeviceInternalReset{0x29, 0x04};
inline constexpr AdditionalSense kItNexusLoss{0x29, 0x07};
inline constexpr AdditionalSense kParametersChanged{0x2a, 0x00};
inline constexpr AdditionalSense kModeParametersChanged{0x2a, 0x01};
inline constexpr AdditionalSense kReservationsPreempted{0x2a, 0x03};
inline constexpr AdditionalSense kReservationsReleased{0x2a, 0x04};
inline constexpr AdditionalSense kRegistrationsPreempted{0x2a, 0x05};
inline constexpr AdditionalSense kCapacityDataHasChanged{0x2a, 0x09};
inline constexpr AdditionalSense kSavingParametersNotSupported{0x39, 0x00};
inline constexpr AdditionalSense kCommandsClearedByAnotherInitiator{0x2f, 0x00};
inline constexpr AdditionalSense kCommandSequenceError{0x2c, 0x00};
inline constexpr AdditionalSense kMediumNotPresent{0x3a, 0x00};
inline constexpr AdditionalSense kMediumNotPresentTrayClosed{0x3a, 0x01};
inline constexpr AdditionalSense kMediumNotPresentTrayOpen{0x3a, 0x02};
inline constexpr AdditionalSense kInquiryDataHasChanged{0x3f, 0x03};
inline constexpr AdditionalSense kReportedLunsDataHasChanged{0x3f, 0x0e};
inline constexpr AdditionalSense kInternalTargetFailure{0x44, 0x00};
inline constexpr AdditionalSense kInvalidMessageError{0x49, 0x00};
inline constexpr AdditionalSense kMediumRemovalPrevented{0x53, 0x02};
inline constexpr AdditionalSense kInsufficientRegistrationResources{0x55, 0x04};
inline constexpr AdditionalSense kSpaceAllocationFailedWriteProtect{0x27, 0x07};
}  // namespace asc

// The sense-key-specific field pointer (SPC-4 §4.5.2.4.2): which CDB or parameter list byte
// (and optionally bit) was wrong.
struct FieldPointer {
  bool in_cdb = true;  // C/D bit: true for the CDB, false for the parameter list
  std::uint16_t byte = 0;
  std::optional<std::uint8_t> bit;  // 0..7; BPV set when present
  bool operator==(const FieldPointer&) const = default;
};

enum class SenseFormat : std::uint8_t { fixed, descriptor };

struct SenseData {
  SenseKey key = SenseKey::no_sense;
  AdditionalSense code{};
  // The INFORMATION field (SPC-4 §4.5.2.2, §4.5.3): an LBA, a miscompare offset, ...
  std::optional<std::uint64_t> information;
  std::optional<FieldPointer> field;
  // Sense-key-specific progress indication (SPC-4 §4.5.2.4.4), 0..65535 of 65536.
  std::optional<std::uint16_t> progress;
  bool deferred = false;  // response code 71h/73h instead of 70h/72h
  bool ili = false;       // incorrect length indicator
  SenseFormat format = SenseFormat::fixed;  // what the parser saw; ignored by build_sense
  bool operator==(const SenseData&) const = default;
};

// Sizes of what build_sense produces, and the most the parser accepts (SPC-4 §4.5.1: 252
// bytes of sense data).
inline constexpr std::size_t kFixedSenseLength = 18;
inline constexpr std::size_t kMaxSenseLength = 252;

// SPC-4 §4.5.3: fixed format, 18 bytes. An information value above 32 bits cannot be carried:
// the field is then left zero with VALID clear, as SPC-4 §4.5.3 requires.
Bytes build_fixed_sense(const SenseData& sense);
// SPC-4 §4.5.2: descriptor format, with an information descriptor (00h) when information is
// present and a sense-key-specific descriptor (02h) for a field pointer or progress.
Bytes build_descriptor_sense(const SenseData& sense);
Bytes build_sense(const SenseData& sense, SenseFormat format);

// Parses fixed (70h/71h) or descriptor (72h/73h) sense data, e.g. from a SCSI Response PDU
// (after its two-byte SenseLength prefix). Truncated additional bytes are tolerated as far as
// SPC-4 §4.5.1 allows (the initiator may receive a shortened copy); a response code other than
// 70h-73h, or fewer than the 8 header bytes, is a Violation "scsi.sense-malformed".
Result<SenseData> parse_sense(ByteView bytes);

}  // namespace iscsi::scsi
