#pragma once
// iSCSI opcodes (RFC 7143 §11.2.1.2). The opcode is the low 6 bits of BHS byte 0; target
// opcodes have bit 0x20 set, initiator opcodes have it clear.
#include <array>
#include <cstdint>
#include <string_view>

namespace iscsi::pdu {

enum class Opcode : std::uint8_t {
  // Initiator to target.
  nop_out = 0x00,
  scsi_command = 0x01,
  task_mgmt_request = 0x02,
  login_request = 0x03,
  text_request = 0x04,
  scsi_data_out = 0x05,
  logout_request = 0x06,
  snack_request = 0x10,
  // Target to initiator.
  nop_in = 0x20,
  scsi_response = 0x21,
  task_mgmt_response = 0x22,
  login_response = 0x23,
  text_response = 0x24,
  scsi_data_in = 0x25,
  logout_response = 0x26,
  r2t = 0x31,
  async_message = 0x32,
  reject = 0x3f,
};

// The 18 opcodes in numeric order, for tables and tests.
inline constexpr std::array<Opcode, 18> kAllOpcodes = {
    Opcode::nop_out,
    Opcode::scsi_command,
    Opcode::task_mgmt_request,
    Opcode::login_request,
    Opcode::text_request,
    Opcode::scsi_data_out,
    Opcode::logout_request,
    Opcode::snack_request,
    Opcode::nop_in,
    Opcode::scsi_response,
    Opcode::task_mgmt_response,
    Opcode::login_response,
    Opcode::text_response,
    Opcode::scsi_data_in,
    Opcode::logout_response,
    Opcode::r2t,
    Opcode::async_message,
    Opcode::reject,
};

// Mask of the opcode inside BHS byte 0; bit 0x40 is the I (immediate) bit, 0x80 is reserved.
inline constexpr std::uint8_t kOpcodeMask = 0x3f;
inline constexpr std::uint8_t kTargetOpcodeBit = 0x20;

// The RFC name of the PDU: "NOP-Out", "SCSI Command", "Task Management Function Request" ...
// Unknown values give "Unknown".
std::string_view to_string(Opcode opcode);

// RFC 7143 §11.2.1.2: initiators MUST NOT use target opcodes and vice versa.
constexpr bool is_target_opcode(Opcode opcode) {
  return (static_cast<std::uint8_t>(opcode) & kTargetOpcodeBit) != 0;
}
constexpr bool is_initiator_opcode(Opcode opcode) { return !is_target_opcode(opcode); }

// How a received opcode value is classified.
enum class OpcodeKind : std::uint8_t {
  standard,          // one of the 18 opcodes of Opcode
  vendor_initiator,  // 0x1c-0x1e: initiator vendor-specific (RFC 7143 §11.2.1.2)
  vendor_target,     // 0x3c-0x3e: target vendor-specific
  reserved,          // every other value (0x07-0x0f, 0x3b ...)
};

struct ClassifiedOpcode {
  OpcodeKind kind;
  std::uint8_t code;  // the 6-bit opcode value
  // Meaningful only when kind == OpcodeKind::standard.
  Opcode opcode() const { return static_cast<Opcode>(code); }
};

// Classifies BHS byte 0 (the I bit and the reserved bit are ignored).
ClassifiedOpcode opcode_from_byte(std::uint8_t byte0);

std::string_view to_string(OpcodeKind kind);

}  // namespace iscsi::pdu
