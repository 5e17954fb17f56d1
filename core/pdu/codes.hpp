#pragma once
// Coded fields of the PDU layouts (RFC 7143 §11). Every enum has a fixed underlying type so a
// decoded header keeps reserved or vendor values verbatim; to_string() names the defined
// values and returns "reserved" for the others, which describe() prints with their number.
#include <cstdint>
#include <string_view>

namespace iscsi::pdu {

// SCSI Command byte 1, ATTR (RFC 7143 §11.3.1.2); 5-7 are reserved.
enum class TaskAttribute : std::uint8_t {
  untagged = 0,
  simple = 1,
  ordered = 2,
  head_of_queue = 3,
  aca = 4,
};

// Login Request/Response CSG and NSG (RFC 7143 §11.12.3); 2 is reserved.
enum class Stage : std::uint8_t {
  security_negotiation = 0,
  login_operational_negotiation = 1,
  reserved = 2,
  full_feature_phase = 3,
};

// SCSI Response byte 2, Response (RFC 7143 §11.4.3); 0x80-0xff are vendor-specific.
enum class ScsiResponseCode : std::uint8_t {
  command_completed_at_target = 0x00,
  target_failure = 0x01,
};

// Task Management Function Request byte 1, Function (RFC 7143 §11.5.1; 9-12 from RFC 7144).
enum class TmfFunction : std::uint8_t {
  abort_task = 1,
  abort_task_set = 2,
  clear_aca = 3,
  clear_task_set = 4,
  logical_unit_reset = 5,
  target_warm_reset = 6,
  target_cold_reset = 7,
  task_reassign = 8,
  query_task = 9,
  query_task_set = 10,
  i_t_nexus_reset = 11,
  query_asynchronous_event = 12,
};

// Task Management Function Response byte 2, Response (RFC 7143 §11.6.1).
enum class TmfResponse : std::uint8_t {
  function_complete = 0,
  task_does_not_exist = 1,
  lun_does_not_exist = 2,
  task_still_allegiant = 3,
  task_allegiance_reassignment_not_supported = 4,
  function_not_supported = 5,
  function_authorization_failed = 6,
  function_rejected = 255,
};

// Logout Request byte 1, Reason Code (RFC 7143 §11.14.1).
enum class LogoutReason : std::uint8_t {
  close_session = 0,
  close_connection = 1,
  remove_connection_for_recovery = 2,
};

// Logout Response byte 2, Response (RFC 7143 §11.15.1).
enum class LogoutResponseCode : std::uint8_t {
  closed_successfully = 0,
  cid_not_found = 1,
  connection_recovery_not_supported = 2,
  cleanup_failed = 3,
};

// Reject byte 2, Reason (RFC 7143 §11.17.1, IANA registry).
enum class RejectReason : std::uint8_t {
  data_digest_error = 0x02,
  snack_reject = 0x03,
  protocol_error = 0x04,
  command_not_supported = 0x05,
  immediate_command_reject = 0x06,
  task_in_progress = 0x07,
  invalid_data_ack = 0x08,
  invalid_pdu_field = 0x09,
  long_operation_reject = 0x0a,
  deprecated_negotiation_reset = 0x0b,  // RFC 3720 only; MUST NOT be sent under RFC 7143
  waiting_for_logout = 0x0c,
};

// Asynchronous Message byte 36, AsyncEvent (RFC 7143 §11.9.1).
enum class AsyncEvent : std::uint8_t {
  scsi_async_event = 0,
  logout_request = 1,
  connection_drop = 2,
  session_drop = 3,
  parameter_negotiation = 4,
  task_termination = 5,
  vendor_specific = 255,
};

// SNACK Request byte 1, Type (RFC 7143 §11.16.1).
enum class SnackType : std::uint8_t {
  data_r2t = 0,
  status = 1,
  data_ack = 2,
  r_data = 3,
};

std::string_view to_string(TaskAttribute value);
std::string_view to_string(Stage value);
std::string_view to_string(ScsiResponseCode value);
std::string_view to_string(TmfFunction value);
std::string_view to_string(TmfResponse value);
std::string_view to_string(LogoutReason value);
std::string_view to_string(LogoutResponseCode value);
std::string_view to_string(RejectReason value);
std::string_view to_string(AsyncEvent value);
std::string_view to_string(SnackType value);

// RFC 7143 §11.17.1: after these reasons the original PDU may be sent again.
bool reject_allows_resend(RejectReason reason);

}  // namespace iscsi::pdu
