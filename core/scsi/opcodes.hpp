#pragma once
// SCSI operation codes and service actions (SPC-4 Annex D, SBC-3 §5) used by the target's
// device emulation and the initiator's I/O API.
#include <cstdint>

namespace iscsi::scsi::op {

inline constexpr std::uint8_t kTestUnitReady = 0x00;
inline constexpr std::uint8_t kRequestSense = 0x03;
inline constexpr std::uint8_t kFormatUnit = 0x04;
inline constexpr std::uint8_t kRead6 = 0x08;
inline constexpr std::uint8_t kWrite6 = 0x0a;
inline constexpr std::uint8_t kInquiry = 0x12;
inline constexpr std::uint8_t kModeSelect6 = 0x15;
inline constexpr std::uint8_t kReserve6 = 0x16;
inline constexpr std::uint8_t kRelease6 = 0x17;
inline constexpr std::uint8_t kModeSense6 = 0x1a;
inline constexpr std::uint8_t kStartStopUnit = 0x1b;
inline constexpr std::uint8_t kSendDiagnostic = 0x1d;
inline constexpr std::uint8_t kPreventAllowMediumRemoval = 0x1e;
inline constexpr std::uint8_t kReadCapacity10 = 0x25;
inline constexpr std::uint8_t kRead10 = 0x28;
inline constexpr std::uint8_t kWrite10 = 0x2a;
inline constexpr std::uint8_t kWriteAndVerify10 = 0x2e;
inline constexpr std::uint8_t kVerify10 = 0x2f;
inline constexpr std::uint8_t kPreFetch10 = 0x34;
inline constexpr std::uint8_t kSynchronizeCache10 = 0x35;
inline constexpr std::uint8_t kReadDefectData10 = 0x37;
inline constexpr std::uint8_t kWriteBuffer = 0x3b;
inline constexpr std::uint8_t kReadBuffer = 0x3c;
inline constexpr std::uint8_t kWriteSame10 = 0x41;
inline constexpr std::uint8_t kUnmap = 0x42;
inline constexpr std::uint8_t kSanitize = 0x48;
inline constexpr std::uint8_t kLogSelect = 0x4c;
inline constexpr std::uint8_t kLogSense = 0x4d;
inline constexpr std::uint8_t kModeSelect10 = 0x55;
inline constexpr std::uint8_t kReserve10 = 0x56;
inline constexpr std::uint8_t kRelease10 = 0x57;
inline constexpr std::uint8_t kModeSense10 = 0x5a;
inline constexpr std::uint8_t kPersistentReserveIn = 0x5e;
inline constexpr std::uint8_t kPersistentReserveOut = 0x5f;
inline constexpr std::uint8_t kVariableLength = 0x7f;
inline constexpr std::uint8_t kExtendedCopy = 0x83;
inline constexpr std::uint8_t kReceiveCopyResults = 0x84;
inline constexpr std::uint8_t kRead16 = 0x88;
inline constexpr std::uint8_t kCompareAndWrite = 0x89;
inline constexpr std::uint8_t kWrite16 = 0x8a;
inline constexpr std::uint8_t kOrWrite16 = 0x8b;
inline constexpr std::uint8_t kWriteAndVerify16 = 0x8e;
inline constexpr std::uint8_t kVerify16 = 0x8f;
inline constexpr std::uint8_t kPreFetch16 = 0x90;
inline constexpr std::uint8_t kSynchronizeCache16 = 0x91;
inline constexpr std::uint8_t kWriteSame16 = 0x93;
inline constexpr std::uint8_t kWriteAtomic16 = 0x9c;
inline constexpr std::uint8_t kServiceActionIn16 = 0x9e;
inline constexpr std::uint8_t kServiceActionOut16 = 0x9f;
inline constexpr std::uint8_t kReportLuns = 0xa0;
inline constexpr std::uint8_t kMaintenanceIn = 0xa3;
inline constexpr std::uint8_t kMaintenanceOut = 0xa4;
inline constexpr std::uint8_t kRead12 = 0xa8;
inline constexpr std::uint8_t kWrite12 = 0xaa;
inline constexpr std::uint8_t kWriteAndVerify12 = 0xae;
inline constexpr std::uint8_t kVerify12 = 0xaf;
inline constexpr std::uint8_t kReadDefectData12 = 0xb7;

}  // namespace iscsi::scsi::op

namespace iscsi::scsi::sa {

// SERVICE ACTION IN(16) (9Eh), SBC-3 §5.16, §5.7.
inline constexpr std::uint16_t kReadCapacity16 = 0x10;
inline constexpr std::uint16_t kGetLbaStatus = 0x12;
// MAINTENANCE IN (A3h), SPC-4 §6.35 and §6.? (REPORT TARGET PORT GROUPS 0Ah).
inline constexpr std::uint16_t kReportTargetPortGroups = 0x0a;
inline constexpr std::uint16_t kReportSupportedOperationCodes = 0x0c;
inline constexpr std::uint16_t kReportSupportedTmfs = 0x0d;
// PERSISTENT RESERVE IN (5Eh), SPC-4 §6.14.1, table 157.
inline constexpr std::uint16_t kReadKeys = 0x00;
inline constexpr std::uint16_t kReadReservation = 0x01;
inline constexpr std::uint16_t kReportCapabilities = 0x02;
inline constexpr std::uint16_t kReadFullStatus = 0x03;
// PERSISTENT RESERVE OUT (5Fh), SPC-4 §6.15.2, table 163.
inline constexpr std::uint16_t kRegister = 0x00;
inline constexpr std::uint16_t kReserve = 0x01;
inline constexpr std::uint16_t kRelease = 0x02;
inline constexpr std::uint16_t kClear = 0x03;
inline constexpr std::uint16_t kPreempt = 0x04;
inline constexpr std::uint16_t kPreemptAndAbort = 0x05;
inline constexpr std::uint16_t kRegisterAndIgnoreExistingKey = 0x06;
inline constexpr std::uint16_t kRegisterAndMove = 0x07;
// SANITIZE (48h), SBC-3 §5.19.
inline constexpr std::uint16_t kSanitizeOverwrite = 0x01;
inline constexpr std::uint16_t kSanitizeBlockErase = 0x02;
inline constexpr std::uint16_t kSanitizeCryptographicErase = 0x03;
inline constexpr std::uint16_t kSanitizeExitFailureMode = 0x1f;

}  // namespace iscsi::scsi::sa
