#pragma once
// The context of one command while a handler runs it (a SAM-5 task): the Command, the
// logical unit, the nexus, the timer service, and the completion. Handlers receive a
// std::shared_ptr<Task> and keep it in their BlockIo callbacks until they complete it.
//
// Completion happens exactly once. A handler that finishes synchronously may call complete_*()
// directly: the Task defers the callback through TimerService::schedule_after(0) while the
// Port is still inside execute() (port.hpp: `done` never runs from inside execute()), and calls
// it at once otherwise (from a BlockIo callback). A Task completed after its Port was
// destroyed drops the result (port.hpp).
#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/scsi/sense.hpp"
#include "target-impl/scsi/logical_unit.hpp"
#include "target-impl/scsi/port.hpp"

namespace iscsi::target::scsi {

// The core SCSI vocabulary, visible to every handler without the iscsi::scsi:: prefix (this
// namespace is also called `scsi`, so the short qualified form would name it instead).
using iscsi::scsi::AdditionalSense;
using iscsi::scsi::FieldPointer;
using iscsi::scsi::SenseData;
using iscsi::scsi::SenseKey;
namespace asc = iscsi::scsi::asc;

class CommandTable;

// What every command of one Port may need to know about the target device.
struct PortContext {
  std::string target_name;
  std::uint32_t tid = 0;
  std::vector<std::uint16_t> luns;  // ascending, LUN 0 first
  std::shared_ptr<const CommandTable> table;  // never null
};

// Extra fields of a CHECK CONDITION.
struct SenseDetail {
  std::optional<std::uint64_t> information;
  std::optional<FieldPointer> field;
};

// Field pointers into the CDB or the parameter list (SPC-4 §4.5.2.4.2).
inline FieldPointer cdb_field(std::uint16_t byte, std::optional<std::uint8_t> bit = {}) {
  FieldPointer field;
  field.in_cdb = true;
  field.byte = byte;
  field.bit = bit;
  return field;
}
inline FieldPointer parameter_field(std::uint16_t byte, std::optional<std::uint8_t> bit = {}) {
  FieldPointer field = cdb_field(byte, bit);
  field.in_cdb = false;
  return field;
}

class Task {
 public:
  // `port_alive` expires when the Port is destroyed (completions are then dropped).
  // `lu` is null only for a LUN that names no logical unit (INQUIRY, REPORT LUNS and REQUEST
  // SENSE still run then, SPC-4 §6.6.2, §6.33, §6.39).
  Task(Command command, const Nexus& nexus, std::shared_ptr<LogicalUnit> lu,
       std::shared_ptr<const PortContext> port, runtime::TimerService& timers, CommandDone done,
       std::weak_ptr<void> port_alive);
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  const Command& command() const { return command_; }
  ByteView cdb() const { return command_.cdb; }
  ByteView data_out() const { return command_.data_out; }
  const Nexus& nexus() const { return nexus_; }
  bool has_lu() const { return lu_ != nullptr; }
  // The logical unit; every handler except INQUIRY, REPORT LUNS and REQUEST SENSE may rely
  // on it (the Port answers LOGICAL UNIT NOT SUPPORTED before dispatching anything else).
  LogicalUnit& lu() const {
    assert(lu_ != nullptr);
    return *lu_;
  }
  const PortContext& port() const { return *port_; }
  runtime::TimerService& timers() const { return timers_; }

  // CommandResult::data_out_wanted: how many bytes the CDB asked to write (transfer length
  // times block size, parameter list length). Set it before completing.
  void set_data_out_wanted(std::uint32_t bytes) { data_out_wanted_ = bytes; }

  // GOOD status with Data-In (at most what the CDB's allocation length allows: use
  // truncate_to_allocation before).
  void complete_good(Bytes data_in = {});
  // CHECK CONDITION with sense data in the logical unit's format (D_SENSE).
  void complete_check_condition(SenseKey key, AdditionalSense code, SenseDetail detail = {});
  // CHECK CONDITION with any sense data (e.g. a PROGRESS INDICATION), in the LU's format.
  void complete_check_condition(const SenseData& sense);
  // ILLEGAL REQUEST, INVALID FIELD IN CDB (24h/00h) with the field pointer (SPC-4 §4.5.2.4.2).
  void fail_invalid_field_in_cdb(std::uint16_t byte, std::optional<std::uint8_t> bit = {});
  // ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST (26h/00h) with the field pointer.
  void fail_invalid_field_in_parameter_list(std::uint16_t byte,
                                            std::optional<std::uint8_t> bit = {});
  void complete_reservation_conflict();
  // Any result; data_out_wanted is filled in when the result leaves it 0.
  void complete(CommandResult result);
  bool completed() const { return completed_; }
  // False once the Port is destroyed: background work started by this task (a SANITIZE with
  // IMMED) stops then instead of keeping the store busy.
  bool port_alive() const { return !port_alive_.expired(); }

  // Set by the Port around the handler call (see the top of this file).
  void set_inside_execute(bool inside) { inside_execute_ = inside; }

 private:
  Command command_;
  Nexus nexus_;
  std::shared_ptr<LogicalUnit> lu_;
  std::shared_ptr<const PortContext> port_;
  runtime::TimerService& timers_;
  CommandDone done_;
  std::weak_ptr<void> port_alive_;
  std::uint32_t data_out_wanted_ = 0;
  bool completed_ = false;
  bool inside_execute_ = false;
};

using TaskPtr = std::shared_ptr<Task>;

// Cuts response data to the CDB's ALLOCATION LENGTH (SPC-4 §4.2.5.6).
void truncate_to_allocation(Bytes& data, std::uint32_t allocation_length);

}  // namespace iscsi::target::scsi
