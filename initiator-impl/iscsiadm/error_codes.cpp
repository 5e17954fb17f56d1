#include "initiator-impl/iscsiadm/error_codes.hpp"

#include <array>

namespace iscsi::initiator::iscsiadm {
namespace {

// usr/iscsi_err.c's table, indexed by code (digest §6).
constexpr std::array<std::string_view, 34> kMessages{{
    "",
    "unknown error",
    "session not found",
    "no available memory",
    "encountered connection failure",
    "encountered iSCSI login failure",
    "encountered iSCSI database failure",
    "invalid parameter",
    "connection timed out",
    "internal error",
    "encountered iSCSI logout failure",
    "iSCSI PDU timed out",
    "iSCSI driver not found. Please make sure it is loaded, and retry the operation",
    "daemon access denied",
    "iSCSI driver does not support requested capability.",
    "session exists",
    "Unknown request",
    "iSNS service not supported",
    "could not communicate to iscsid",
    "encountered non-retryable iSCSI login failure",
    "could not connect to iscsid",
    "no objects found",
    "sysfs lookup failure",
    "host not found",
    "iSCSI login failed due to authorization failure",
    "iSNS query failed",
    "iSNS registration failed",
    "operation not supported",
    "device or resource in use",
    "operation failed but retry may succeed",
    "unknown discovery type",
    "child process terminated",
    "target likely not connected",
    "iscsid request timed out",
}};

}  // namespace

std::string_view error_message(int code) {
  if (code < 0 || static_cast<std::size_t>(code) >= kMessages.size()) return kMessages[1];
  return kMessages[static_cast<std::size_t>(code)];
}

std::string_view error_message(ErrorCode code) { return error_message(exit_code(code)); }

}  // namespace iscsi::initiator::iscsiadm
