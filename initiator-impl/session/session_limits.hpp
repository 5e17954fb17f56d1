#pragma once
// Named limits of the initiator's full feature phase engine (DESIGN.md: every queue, buffer and
// loop has a named limit). Defaults for SessionLimits; each bounds what the application or the
// target can make the initiator hold.
#include <cstddef>
#include <cstdint>

namespace iscsi::initiator::session {

// SCSI tasks sent to the target and not yet completed.
inline constexpr std::size_t kDefaultMaxOutstandingTasks = 128;
// Requests (commands, Text, Logout) waiting for the CmdSN window or a free task slot
// (RFC 7143 §4.2.2.1: nothing non-immediate goes out beyond MaxCmdSN).
inline constexpr std::size_t kDefaultMaxQueuedCommands = 1024;
// Key=value bytes of one Text exchange, in either direction (RFC 7143 §6.2 asks for at least
// 16384; SendTargets answers of large targets need more).
inline constexpr std::size_t kDefaultMaxTextBytes = 1u << 20;
// Expected Data-In length of one command: the reassembly buffer of a read never grows past it.
inline constexpr std::uint32_t kDefaultMaxDataInBytesPerTask = 64u << 20;
// Expected data length of one write (the data the application handed over).
inline constexpr std::uint32_t kDefaultMaxDataOutBytesPerTask = 64u << 20;
// Extended CDB: BHS bytes 32-47 plus an Extended-CDB AHS (RFC 7143 §11.2.2.3). SCSI CDBs are
// at most 260 bytes (SPC-4 variable length CDBs).
inline constexpr std::size_t kMaxCdbBytes = 260;
// Out-of-order Data-In ranges remembered per task when DataPDUInOrder=No, and solicited ranges
// per write when DataSequenceInOrder=No.
inline constexpr std::size_t kMaxTrackedRanges = 4096;
// How often one violation id is reported per session; later repeats are counted, not sent.
inline constexpr std::uint32_t kMaxReportsPerViolationId = 32;

}  // namespace iscsi::initiator::session
