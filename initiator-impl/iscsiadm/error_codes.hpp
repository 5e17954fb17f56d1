#pragma once
// open-iscsi's error codes (include/iscsi_err.h) and their messages (usr/iscsi_err.c), as
// iscsiadm 2.1.8 prints them: "iscsiadm: initiator reported error (N - message)" and exits N.
#include <string_view>

namespace iscsi::initiator::iscsiadm {

enum class ErrorCode : int {
  success = 0,
  err = 1,
  sess_not_found = 2,
  nomem = 3,
  trans = 4,
  login = 5,
  idbm = 6,
  inval = 7,
  trans_timeout = 8,
  internal = 9,
  logout = 10,
  pdu_timeout = 11,
  trans_not_found = 12,
  access = 13,
  trans_caps = 14,
  sess_exists = 15,
  invalid_mgmt_req = 16,
  isns_unavailable = 17,
  iscsid_comm_err = 18,
  fatal_login = 19,
  iscsid_notconn = 20,
  no_objs_found = 21,
  sysfs_lookup = 22,
  host_not_found = 23,
  login_auth_failed = 24,
  isns_query = 25,
  isns_reg_failed = 26,
  op_not_supp = 27,
  busy = 28,
  again = 29,
  unknown_discovery_type = 30,
  child_terminated = 31,
  session_not_connected = 32,
  req_timedout = 33,
};

constexpr int exit_code(ErrorCode code) { return static_cast<int>(code); }

// iscsi_err_to_str(): the message of a code; "unknown error" outside the table as open-iscsi.
std::string_view error_message(ErrorCode code);
std::string_view error_message(int code);

}  // namespace iscsi::initiator::iscsiadm
