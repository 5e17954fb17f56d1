#pragma once
// NOP-Out (RFC 7143 §11.18) and NOP-In (§11.19).
#include <cstdint>

#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 1 is F=1 (always); bytes 32-47 are reserved. Data = ping data.
struct NopOut {
  static constexpr Opcode kOpcode = Opcode::nop_out;
  bool immediate = false;
  Lun lun{};                         // bytes 8-15; copied from the NOP-In when answering one
  std::uint32_t itt = 0;             // kReservedTag when no answer is wanted (then I MUST be 1)
  std::uint32_t ttt = kReservedTag;  // copied from the NOP-In being answered
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  bool operator==(const NopOut&) const = default;
};

// Byte 1 is F=1 (always); bytes 36-47 are reserved. Data = echoed ping data.
struct NopIn {
  static constexpr Opcode kOpcode = Opcode::nop_in;
  Lun lun{};
  std::uint32_t itt = kReservedTag;  // copied from the NOP-Out, or kReservedTag for a ping
  std::uint32_t ttt = kReservedTag;  // a valid tag when the target wants an answer
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  bool operator==(const NopIn&) const = default;
};

}  // namespace iscsi::pdu
