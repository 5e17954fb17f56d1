#pragma once
// Text Request (RFC 7143 §11.10) and Text Response (§11.11).
#include <cstdint>

#include "core/pdu/limits.hpp"
#include "core/pdu/lun.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 1 = F C + reserved; bytes 2-3 and 32-47 reserved. Data = key=value text.
struct TextRequest {
  static constexpr Opcode kOpcode = Opcode::text_request;
  bool immediate = false;
  bool final = true;       // F
  bool continue_ = false;  // C; F and C MUST NOT both be 1
  Lun lun{};               // "LUN or Reserved"
  std::uint32_t itt = 0;
  std::uint32_t ttt = kReservedTag;  // kReservedTag starts a new exchange
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  bool operator==(const TextRequest&) const = default;
};

// Byte 1 = F C + reserved; bytes 2-3 and 36-47 reserved. Data = key=value text.
struct TextResponse {
  static constexpr Opcode kOpcode = Opcode::text_response;
  bool final = true;
  bool continue_ = false;
  Lun lun{};
  std::uint32_t itt = 0;
  std::uint32_t ttt = kReservedTag;  // kReservedTag when the exchange is complete
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  bool operator==(const TextResponse&) const = default;
};

}  // namespace iscsi::pdu
