#pragma once
// Named limits of the full feature phase engine (DESIGN.md: every queue, buffer and loop has a
// named limit). Each bounds what one initiator can make the target hold.
#include <cstddef>
#include <cstdint>

namespace iscsi::target::session {

// Commands the session accepts at once: the CmdSN window (MaxCmdSN - ExpCmdSN + 1) never lets
// more SCSI tasks, queued commands and unsent read results exist together (RFC 7143 §4.2.2.1).
inline constexpr std::uint32_t kDefaultCommandWindow = 64;
inline constexpr std::uint32_t kMaxCommandWindow = 1024;

// Non-immediate commands held because an earlier CmdSN has not arrived yet; never more than
// the window, and this bounds it even when the window is configured larger.
inline constexpr std::size_t kMaxPendingCommands = 1024;

// CmdSNs remembered from ABORT TASK of a command that has not arrived (RFC 7143 §11.5.1): it is
// discarded on arrival.
inline constexpr std::size_t kMaxWithheldAborts = 64;

// ITTs of aborted write tasks whose late Data-Out PDUs are dropped without a Reject.
inline constexpr std::size_t kMaxRememberedAbortedTasks = 64;

// Largest Expected Data Transfer Length of one write that the session buffers; longer writes
// end with CHECK CONDITION (ILLEGAL REQUEST, INVALID FIELD IN CDB) without soliciting data.
inline constexpr std::uint32_t kMaxWriteTransferLength = 32u << 20;

// Write data buffered by all tasks of one session; a write that does not fit ends with TASK SET
// FULL (SAM-5 §5.3.1) so the initiator retries later.
inline constexpr std::size_t kMaxSessionWriteBufferBytes = 256u << 20;

// R2Ts outstanding per task, whatever MaxOutstandingR2T says (a target may send fewer).
inline constexpr std::uint32_t kMaxOutstandingR2tPerTask = 16;

// Data-In payload one take_outputs() call hands out; the rest stays queued (back-pressure).
inline constexpr std::size_t kMaxDataInBytesPerTake = 1u << 20;

// How often one violation id is reported per session; later repeats are counted, not sent.
inline constexpr std::uint32_t kMaxReportsPerViolationId = 32;

// Text exchange: key=value bytes of one negotiation in full feature phase (RFC 7143 §6.2).
inline constexpr std::size_t kMaxTextNegotiationBytes = 65536;

}  // namespace iscsi::target::session
