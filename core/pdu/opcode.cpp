#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

std::string_view to_string(Opcode opcode) {
  // Names as in the titles of RFC 7143 §11.3-§11.19.
  switch (opcode) {
    case Opcode::nop_out:
      return "NOP-Out";
    case Opcode::scsi_command:
      return "SCSI Command";
    case Opcode::task_mgmt_request:
      return "Task Management Function Request";
    case Opcode::login_request:
      return "Login Request";
    case Opcode::text_request:
      return "Text Request";
    case Opcode::scsi_data_out:
      return "SCSI Data-Out";
    case Opcode::logout_request:
      return "Logout Request";
    case Opcode::snack_request:
      return "SNACK Request";
    case Opcode::nop_in:
      return "NOP-In";
    case Opcode::scsi_response:
      return "SCSI Response";
    case Opcode::task_mgmt_response:
      return "Task Management Function Response";
    case Opcode::login_response:
      return "Login Response";
    case Opcode::text_response:
      return "Text Response";
    case Opcode::scsi_data_in:
      return "SCSI Data-In";
    case Opcode::logout_response:
      return "Logout Response";
    case Opcode::r2t:
      return "Ready To Transfer";
    case Opcode::async_message:
      return "Asynchronous Message";
    case Opcode::reject:
      return "Reject";
  }
  return "Unknown";
}

namespace {

// One entry per 6-bit code, built from kAllOpcodes and the vendor ranges of §11.2.1.2.
constexpr std::array<OpcodeKind, kOpcodeMask + 1> make_kind_table() {
  std::array<OpcodeKind, kOpcodeMask + 1> table{};
  table.fill(OpcodeKind::reserved);
  for (Opcode op : kAllOpcodes) table[static_cast<std::uint8_t>(op)] = OpcodeKind::standard;
  for (std::size_t code = 0x1c; code <= 0x1e; ++code) table[code] = OpcodeKind::vendor_initiator;
  for (std::size_t code = 0x3c; code <= 0x3e; ++code) table[code] = OpcodeKind::vendor_target;
  return table;
}
constexpr std::array<OpcodeKind, kOpcodeMask + 1> kKindTable = make_kind_table();

}  // namespace

ClassifiedOpcode opcode_from_byte(std::uint8_t byte0) {
  const auto code = static_cast<std::uint8_t>(byte0 & kOpcodeMask);
  return {kKindTable[code], code};
}

std::string_view to_string(OpcodeKind kind) {
  switch (kind) {
    case OpcodeKind::standard:
      return "standard";
    case OpcodeKind::vendor_initiator:
      return "initiator vendor-specific";
    case OpcodeKind::vendor_target:
      return "target vendor-specific";
    case OpcodeKind::reserved:
      return "reserved";
  }
  return "unknown";
}

}  // namespace iscsi::pdu
