#pragma once
// Login Request (RFC 7143 §11.12) and Login Response (§11.13). Digests never apply to these.
#include <cstdint>

#include "core/pdu/codes.hpp"
#include "core/pdu/isid.hpp"
#include "core/pdu/login_status.hpp"
#include "core/pdu/opcode.hpp"

namespace iscsi::pdu {

// Byte 0 is always 0x43 (I=1); byte 1 = T C . . CSG NSG; bytes 22-23, 32-47 reserved.
// Data = key=value text.
struct LoginRequest {
  static constexpr Opcode kOpcode = Opcode::login_request;
  bool transit = false;    // T
  bool continue_ = false;  // C
  Stage csg = Stage::security_negotiation;
  Stage nsg = Stage::security_negotiation;  // meaningful only when T=1
  std::uint8_t version_max = 0;
  std::uint8_t version_min = 0;
  Isid isid{};
  std::uint16_t tsih = 0;
  std::uint32_t itt = 0;
  std::uint16_t cid = 0;
  std::uint32_t cmd_sn = 0;
  std::uint32_t exp_stat_sn = 0;
  bool operator==(const LoginRequest&) const = default;
};

// Byte 1 = T C . . CSG NSG; bytes 20-23 and 38-47 reserved. Data = key=value text.
struct LoginResponse {
  static constexpr Opcode kOpcode = Opcode::login_response;
  bool transit = false;
  bool continue_ = false;
  Stage csg = Stage::security_negotiation;
  Stage nsg = Stage::security_negotiation;
  std::uint8_t version_max = 0;
  std::uint8_t version_active = 0;
  Isid isid{};
  std::uint16_t tsih = 0;
  std::uint32_t itt = 0;
  std::uint32_t stat_sn = 0;
  std::uint32_t exp_cmd_sn = 0;
  std::uint32_t max_cmd_sn = 0;
  std::uint8_t status_class = 0;
  std::uint8_t status_detail = 0;

  LoginStatus status() const { return make_login_status(status_class, status_detail); }
  void set_status(LoginStatus value) {
    status_class = pdu::status_class(value);
    status_detail = pdu::status_detail(value);
  }
  bool operator==(const LoginResponse&) const = default;
};

}  // namespace iscsi::pdu
