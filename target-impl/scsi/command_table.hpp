#pragma once
// The commands a Port knows: one CommandInfo per operation code (and service action), with the
// checks the Port applies before the handler runs, in this order (SAM-5 §5.14): LUN, unit
// attention, operation code and service action, reservations, reserved CDB bits, medium
// present, write protection; and the CDB usage data that REPORT SUPPORTED OPERATION CODES
// returns (SPC-4 §6.35).
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "target-impl/scsi/task.hpp"

namespace iscsi::target::scsi {

using Handler = void (*)(const TaskPtr& task);

// How a command behaves while another I_T nexus holds a persistent reservation (SPC-4
// §5.13.1, table 56) in the eyes of a nexus that may not access the medium.
enum class PrAccess : std::uint8_t {
  allowed,                     // INQUIRY, REPORT LUNS, PERSISTENT RESERVE IN/OUT, READ CAPACITY ...
  conflicts_exclusive_access,  // reads: conflict under Exclusive Access types only
  conflicts,                   // writes and device changes: conflict under every type
};

struct CommandInfo {
  std::uint8_t opcode = 0;
  // Service action (CDB byte 1 bits 4-0) for opcodes that have them (9Eh, A3h, 5Eh, ...).
  std::optional<std::uint16_t> service_action;
  std::string_view name;
  Handler handler = nullptr;
  std::uint8_t cdb_length = 0;
  // CDB USAGE DATA (SPC-4 §6.35.3): cdb_length bytes; byte 0 is the opcode, every other byte
  // has a 1 for each bit the device server looks at. REPORT SUPPORTED OPERATION CODES returns
  // it; the Port also rejects a CDB with a bit set outside it (reserved bits) as INVALID FIELD
  // IN CDB when `check_reserved_bits` is true.
  Bytes cdb_usage;
  bool check_reserved_bits = true;
  // Runs on LUN 0, the controller (SPC commands do; medium access commands do not: they get
  // INVALID COMMAND OPERATION CODE there, as tgt answers).
  bool allowed_on_controller = false;
  // Runs for a LUN that names no logical unit (INQUIRY, REPORT LUNS, REQUEST SENSE: SPC-4
  // §6.6.2, §6.33, §6.39); every other command then gets LOGICAL UNIT NOT SUPPORTED.
  bool runs_without_lu = false;
  // Unit attentions neither reported nor cleared (INQUIRY, REPORT LUNS, REQUEST SENSE:
  // SAM-5 §5.14, SPC-4 §5.14).
  bool ignores_unit_attention = false;
  // Processed while a sanitize operation runs (INQUIRY, REPORT LUNS, REQUEST SENSE: SBC-4
  // §4.11); every other command then gets NOT READY, SANITIZE IN PROGRESS (04h/1Bh).
  bool runs_during_sanitize = false;
  // Fails with NOT READY, MEDIUM NOT PRESENT (3Ah/00h) after an eject (SPC-4 §6.46).
  bool needs_medium = false;
  // Writes the medium: DATA PROTECT on a readonly LUN (WRITE PROTECTED 27h/00h) or with SWP
  // set (SPC-4 §7.5.8).
  bool writes_medium = false;
  // RESERVE(6) held by another nexus (SPC-2 §5.5.1): RESERVATION CONFLICT unless allowed.
  bool allowed_under_reserve6 = false;
  PrAccess pr_access = PrAccess::conflicts;
};

// Commands with a service action read it from CDB byte 1, bits 4-0 (SPC-4 §4.2.5.1).
std::uint16_t service_action_of(ByteView cdb);

class CommandTable {
 public:
  // Later additions of the same opcode and service action replace earlier ones.
  void add(CommandInfo info);
  // nullptr when the opcode is unknown, or known only with other service actions.
  const CommandInfo* find(std::uint8_t opcode, std::optional<std::uint16_t> service_action) const;
  // Finds the entry for a CDB (reading the service action when the opcode uses one).
  const CommandInfo* find_for_cdb(ByteView cdb) const;
  // Whether some entry has this opcode (distinguishes an unknown opcode from an unknown
  // service action: SPC-4 answers 20h/00h for the former and 24h/00h for the latter).
  bool knows_opcode(std::uint8_t opcode) const;
  bool opcode_has_service_actions(std::uint8_t opcode) const;
  // Every entry, ordered by opcode then service action.
  const std::vector<CommandInfo>& all() const { return entries_; }

 private:
  std::vector<CommandInfo> entries_;
};

// The SPC-4 commands (target-impl/scsi/spc/).
void register_spc_commands(CommandTable& table);
// The SBC-3 commands (target-impl/scsi/sbc/). make_port calls it only when the build defines
// ISCSI_HAVE_SBC, which target-impl/scsi/CMakeLists.txt does when sbc/sources.cmake exists.
void register_sbc_commands(CommandTable& table);

// The usage bitmap for a CDB whose bytes are all used except reserved ones: a convenience for
// tables. `bytes` lists the mask of each byte after the opcode.
Bytes cdb_usage(std::uint8_t opcode, std::initializer_list<std::uint8_t> bytes);

}  // namespace iscsi::target::scsi
