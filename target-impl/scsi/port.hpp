#pragma once
// The seam between the iSCSI layer (target-impl/session) and SCSI device emulation
// (target-impl/scsi). A Port is one SCSI target device: the logical units of one iSCSI target,
// LUN 0 as a controller (as tgt does) and disk LUNs 1..N. The session engine hands it whole
// commands (CDB plus every Data-Out byte the initiator sent) and turns the result into Data-In
// and SCSI Response PDUs; the Port never sees iSCSI sequencing. Storage goes through
// runtime::BlockIo, so completions arrive later on the event loop (DESIGN.md, BlockIo).
#include <cstdint>
#include <functional>
#include <string>

#include "core/common/bytes.hpp"
#include "core/pdu/lun.hpp"

namespace iscsi::target::scsi {

// One I_T nexus (SAM-5 §4.6): an iSCSI session. Reservations and unit attentions are per nexus.
using NexusId = std::uint64_t;

struct Nexus {
  NexusId id = 0;
  // RFC 7143 §4.4.2 (SCSI port names): "<InitiatorName>,i,0x<ISID as 12 hex digits>" and
  // "<TargetName>,t,0x<TPGT as 4 hex digits>". PERSISTENT RESERVE and INQUIRY page 0x83 use them.
  std::string initiator_port_name;
  std::string target_port_name;
  std::uint16_t relative_target_port = 1;
};

// SAM task attributes as carried in the SCSI Command PDU (RFC 7143 §11.3.1 ATTR).
enum class TaskAttribute : std::uint8_t { untagged, simple, ordered, head_of_queue, aca };

struct Command {
  NexusId nexus = 0;
  pdu::Lun lun{};
  Bytes cdb;  // the whole CDB, Extended-CDB AHS included (6 to 260 bytes)
  TaskAttribute attribute = TaskAttribute::simple;
  std::uint32_t tag = 0;  // the ITT, for logs and task management
  // Every Data-Out byte the initiator sent for this command (immediate, unsolicited and
  // solicited), at most the Expected Data Transfer Length; empty for a non-write command.
  Bytes data_out;
  // The initiator's buffer for Data-In: EDTL for a read, the bidirectional read length AHS for
  // a bidirectional command, 0 otherwise.
  std::uint32_t expected_data_in_length = 0;
  // The initiator's write buffer: EDTL when the W bit is set, else 0 (data_out may be shorter
  // only when the initiator broke the protocol; the session engine reports that).
  std::uint32_t expected_data_out_length = 0;
};

// SAM-5 status codes (§5.3.1).
inline constexpr std::uint8_t kStatusGood = 0x00;
inline constexpr std::uint8_t kStatusCheckCondition = 0x02;
inline constexpr std::uint8_t kStatusConditionMet = 0x04;
inline constexpr std::uint8_t kStatusBusy = 0x08;
inline constexpr std::uint8_t kStatusReservationConflict = 0x18;
inline constexpr std::uint8_t kStatusTaskSetFull = 0x28;
inline constexpr std::uint8_t kStatusTaskAborted = 0x40;

struct CommandResult {
  std::uint8_t status = kStatusGood;
  Bytes sense;  // sense data (fixed or descriptor format), non-empty with CHECK CONDITION
  // Data for the initiator, at most what the CDB asked for (allocation length or transfer
  // length). It may exceed expected_data_in_length: the session engine sends the first
  // expected_data_in_length bytes and reports the rest as residual overflow (RFC 7143 §11.4.5).
  Bytes data_in;
  // How many bytes the CDB itself asked to move in the write direction (transfer length times
  // block size, parameter list length, ...). The session engine sets the residual over- or
  // underflow against expected_data_out_length from it (RFC 7143 §11.4.5.1).
  std::uint32_t data_out_wanted = 0;
};

using CommandDone = std::function<void(CommandResult)>;

// Task management functions that change device state (RFC 7143 §11.5.1, SAM-5 §7). The
// session layer aborts its own iSCSI tasks; the Port applies the SCSI side effects: unit
// attentions for the other nexuses, reservation release, command queue cleanup.
enum class TaskManagement : std::uint8_t {
  abort_task,
  abort_task_set,
  clear_aca,
  clear_task_set,
  logical_unit_reset,
  target_warm_reset,
  target_cold_reset,
};

class Port {
 public:
  virtual ~Port() = default;

  // Runs one command. `done` runs exactly once, later, on the event loop (never from inside
  // execute()), unless the Port is destroyed first: then pending completions are dropped.
  virtual void execute(Command command, CommandDone done) = 0;

  // A session entered full feature phase: the new nexus sees a POWER ON, RESET OR BUS DEVICE
  // RESET OCCURRED unit attention (29h/00h) on every LUN first, as SPC-4 §6.9 and tgt do.
  virtual void nexus_added(const Nexus& nexus) = 0;
  // The session ended: RESERVE(6) reservations it held are released and its pending unit
  // attentions dropped; persistent reservations and registrations survive (SPC-4 §5.13).
  virtual void nexus_removed(NexusId nexus) = 0;

  // Applies the device side effects of a task management function issued by `nexus` for
  // `lun` (ignored by the target-wide functions). Returns false when `lun` names no logical
  // unit (the session answers 0x01 "Task does not exist" or 0x02 "LUN does not exist").
  virtual bool task_management(NexusId nexus, TaskManagement function, pdu::Lun lun) = 0;

  // Whether `lun` names a logical unit of this target (LUN 0, the controller, always does).
  virtual bool has_lun(pdu::Lun lun) const = 0;
};

}  // namespace iscsi::target::scsi
