#include "core/pdu/login_status.hpp"

namespace iscsi::pdu {
namespace {

struct StatusText {
  std::string_view name;
  std::string_view meaning;
};

// RFC 7143 §11.13.5, one row per defined Status-Class/Status-Detail.
StatusText status_text(LoginStatus status) {
  switch (status) {
    case LoginStatus::success:
      return {"Success", "login is proceeding OK"};
    case LoginStatus::target_moved_temporarily:
      return {"Target moved temporarily",
              "the requested iSCSI target name has temporarily moved to the address provided"};
    case LoginStatus::target_moved_permanently:
      return {"Target moved permanently",
              "the requested iSCSI target name has permanently moved to the address provided"};
    case LoginStatus::initiator_error:
      return {"Initiator error", "miscellaneous iSCSI initiator errors"};
    case LoginStatus::authentication_failure:
      return {"Authentication failure",
              "the initiator could not be successfully authenticated or target authentication "
              "is not supported"};
    case LoginStatus::authorization_failure:
      return {"Authorization failure", "the initiator is not allowed access to the given target"};
    case LoginStatus::not_found:
      return {"Not found", "the requested target name does not exist at this address"};
    case LoginStatus::target_removed:
      return {"Target removed",
              "the requested target name has been removed and no forwarding address is "
              "provided"};
    case LoginStatus::unsupported_version:
      return {"Unsupported version",
              "the requested iSCSI version range is not supported by the target"};
    case LoginStatus::too_many_connections:
      return {"Too many connections", "too many connections on this session"};
    case LoginStatus::missing_parameter:
      return {"Missing parameter",
              "missing parameters (e.g., iSCSI initiator name and/or "
              "target name)"};
    case LoginStatus::cannot_include_in_session:
      return {"Can't include in session",
              "the target does not support session spanning to this connection (address)"};
    case LoginStatus::session_type_not_supported:
      return {"Session type not supported",
              "the target does not support this type of session or not from this initiator"};
    case LoginStatus::session_does_not_exist:
      return {"Session does not exist",
              "an attempt was made to add a connection to a non-existent session"};
    case LoginStatus::invalid_during_login:
      return {"Invalid request during login", "invalid request type during login"};
    case LoginStatus::target_error:
      return {"Target error", "target hardware or software error"};
    case LoginStatus::service_unavailable:
      return {"Service unavailable", "the iSCSI service or target is not currently operational"};
    case LoginStatus::out_of_resources:
      return {"Out of resources",
              "the target has insufficient session, connection, or other resources"};
  }
  return {"Unknown", ""};
}

std::string_view class_meaning(std::uint8_t status_class_value) {
  switch (status_class_value) {
    case 0:
      return "success";
    case 1:
      return "redirection: the initiator must take further action";
    case 2:
      return "initiator error: the request should not be retried unchanged";
    case 3:
      return "target error: the request may be retried later";
    default:  // Status-Class is a raw byte here, not one of our enums.
      return "reserved status class";
  }
}

}  // namespace

std::string_view to_string(LoginStatus status) { return status_text(status).name; }

std::string_view describe(LoginStatus status) {
  const StatusText text = status_text(status);
  if (!text.meaning.empty()) return text.meaning;
  return class_meaning(status_class(status));
}

std::string_view to_string(LoginStatusClass status_class_value) {
  switch (status_class_value) {
    case LoginStatusClass::success:
      return "Success";
    case LoginStatusClass::redirection:
      return "Redirection";
    case LoginStatusClass::initiator_error:
      return "Initiator Error";
    case LoginStatusClass::target_error:
      return "Target Error";
  }
  return "reserved";
}

}  // namespace iscsi::pdu
