#pragma once
// Login Response Status-Class / Status-Detail (RFC 7143 §11.13.5).
#include <cstdint>
#include <string_view>

namespace iscsi::pdu {

// The 16-bit value (Status-Class << 8) | Status-Detail.
enum class LoginStatus : std::uint16_t {
  success = 0x0000,
  target_moved_temporarily = 0x0101,
  target_moved_permanently = 0x0102,
  initiator_error = 0x0200,
  authentication_failure = 0x0201,
  authorization_failure = 0x0202,
  not_found = 0x0203,
  target_removed = 0x0204,
  unsupported_version = 0x0205,
  too_many_connections = 0x0206,
  missing_parameter = 0x0207,
  cannot_include_in_session = 0x0208,
  session_type_not_supported = 0x0209,
  session_does_not_exist = 0x020a,
  invalid_during_login = 0x020b,
  target_error = 0x0300,
  service_unavailable = 0x0301,
  out_of_resources = 0x0302,
};

// RFC 7143 §11.13.5: the class says who must act.
enum class LoginStatusClass : std::uint8_t {
  success = 0,
  redirection = 1,
  initiator_error = 2,
  target_error = 3,
};

constexpr LoginStatus make_login_status(std::uint8_t status_class, std::uint8_t status_detail) {
  return static_cast<LoginStatus>((status_class << 8) | status_detail);
}
constexpr std::uint8_t status_class(LoginStatus status) {
  return static_cast<std::uint8_t>(static_cast<std::uint16_t>(status) >> 8);
}
constexpr std::uint8_t status_detail(LoginStatus status) {
  return static_cast<std::uint8_t>(static_cast<std::uint16_t>(status) & 0xff);
}

// The short RFC name: "Authentication failure"; "Unknown" for values outside the table.
std::string_view to_string(LoginStatus status);
// The RFC meaning: "the initiator could not be successfully authenticated or target
// authentication is not supported"; for an unknown detail, the meaning of its class.
std::string_view describe(LoginStatus status);
std::string_view to_string(LoginStatusClass status_class);

}  // namespace iscsi::pdu
