#pragma once
// SCSI Data-Out, SCSI Data-In (RFC 7143 §11.7) and Ready To Transfer (§11.8).
#include <cstdint>

#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 0 has no I bit; byte 1 = F + reserved; bytes 24-27, 32-35, 44-47 reserved.
struct ScsiDataOut {
  static constexpr Opcode kOpcode = Opcode::scsi_data_out;
  bool final = false;
  Lun lun{};  // "LUN or Reserved": the LUN of the R2T when answering one
  std::uint32_t itt = 0;
  std::uint32_t ttt = kReservedTag;  // from the R2T; kReservedTag for unsolicited data
  std::uint32_t exp_stat_sn = 0;
  std::uint32_t data_sn = 0;
  std::uint32_t buffer_offset = 0;
  bool operator==(const ScsiDataOut&) const = default;
};

// Byte 1 = F A . . . O U S; byte 2 reserved; byte 3 = SCSI status (valid when S=1).
struct ScsiDataIn {
  static constexpr Opcode kOpcode = Opcode::scsi_data_in;
  bool final = false;
  bool acknowledge = false;         // A: DataACK requested (ERL >= 1)
  bool residual_overflow = false;   // O
  bool residual_underflow = false;  // U
  bool status_present = false;      // S
  std::uint8_t status = 0;
  Lun lun{};
  std::uint32_t itt = 0;
  std::uint32_t ttt = kReservedTag;
  std::uint32_t stat_sn = 0;  // valid when S=1
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint32_t data_sn = 0;
  std::uint32_t buffer_offset = 0;
  std::uint32_t residual_count = 0;  // valid when S=1
  bool operator==(const ScsiDataIn&) const = default;
};

// Byte 1 is F=1 (always); bytes 2-3 reserved. No data segment.
struct R2t {
  static constexpr Opcode kOpcode = Opcode::r2t;
  Lun lun{};
  std::uint32_t itt = 0;
  std::uint32_t ttt = 0;
  std::uint32_t stat_sn = 0;  // the next StatSN; an R2T does not advance it
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint32_t r2t_sn = 0;
  std::uint32_t buffer_offset = 0;
  std::uint32_t desired_data_transfer_length = 0;
  bool operator==(const R2t&) const = default;
};

}  // namespace iscsi::pdu
