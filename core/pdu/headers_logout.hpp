#pragma once
// Logout Request (RFC 7143 §11.14) and Logout Response (§11.15).
#include <cstdint>

#include "core/pdu/codes.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 1 = 1 + Reason Code (7 bits); bytes 2-3, 8-15, 22-23, 32-47 reserved. No data.
struct LogoutRequest {
  static constexpr Opcode kOpcode = Opcode::logout_request;
  bool immediate = false;
  LogoutReason reason_code = LogoutReason::close_session;
  std::uint32_t itt = 0;
  std::uint16_t cid = 0;  // reserved for reason 0 (close the session)
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  bool operator==(const LogoutRequest&) const = default;
};

// Byte 1 is F=1 (always); bytes 3, 8-15, 20-23, 36-39, 44-47 reserved. No data.
struct LogoutResponse {
  static constexpr Opcode kOpcode = Opcode::logout_response;
  LogoutResponseCode response = LogoutResponseCode::closed_successfully;
  std::uint32_t itt = 0;
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint16_t time2wait = 0;
  std::uint16_t time2retain = 0;
  bool operator==(const LogoutResponse&) const = default;
};

}  // namespace iscsi::pdu
