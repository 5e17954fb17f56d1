#pragma once
// SCSI Command (RFC 7143 §11.3) and SCSI Response (§11.4).
#include <array>
#include <cstdint>

#include "core/pdu/codes.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 1 = F R W . . ATTR; bytes 2-3 reserved. CDBs longer than 16 bytes continue in an
// Extended-CDB AHS (see full_cdb()/set_cdb() in pdu.hpp). Data = immediate data.
struct ScsiCommand {
  static constexpr Opcode kOpcode = Opcode::scsi_command;
  bool immediate = false;
  bool final = true;                           // F: no unsolicited Data-Out follows
  bool read = false;                           // R
  bool write = false;                          // W
  TaskAttribute attr = TaskAttribute::simple;  // 3 bits; 5-7 reserved
  Lun lun{};
  std::uint32_t itt = 0;
  std::uint32_t expected_data_transfer_length = 0;
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  std::array<std::uint8_t, kBhsCdbLength> cdb{};  // bytes 32-47
  bool operator==(const ScsiCommand&) const = default;
};

// Byte 1 = 1 . . o u O U .; bytes 8-15 reserved. Data = SenseLength + sense + response data.
struct ScsiResponse {
  static constexpr Opcode kOpcode = Opcode::scsi_response;
  bool bidi_read_residual_overflow = false;   // o
  bool bidi_read_residual_underflow = false;  // u
  bool residual_overflow = false;             // O
  bool residual_underflow = false;            // U
  ScsiResponseCode response = ScsiResponseCode::command_completed_at_target;
  std::uint8_t status = 0;  // SCSI status, valid when response is 0x00
  std::uint32_t itt = 0;
  std::uint32_t snack_tag = 0;  // bytes 20-23, "SNACK Tag or Reserved"
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint32_t exp_data_sn = 0;
  std::uint32_t bidi_read_residual_count = 0;
  std::uint32_t residual_count = 0;
  bool operator==(const ScsiResponse&) const = default;
};

}  // namespace iscsi::pdu
