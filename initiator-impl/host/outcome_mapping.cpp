#include "initiator-impl/host/outcome_mapping.hpp"

#include <fmt/format.h>

#include "core/pdu/login_status.hpp"

namespace iscsi::initiator::host {
namespace {

using iscsiadm::LoginFailure;

std::string reason_of(const Violation& violation) {
  return fmt::format("{} ({})", violation.detail, violation.id());
}

// LOGIN_AUTHENTICATION_FAILED in usr/login.c: the target failed our mutual CHAP check, reused
// our challenge, or CHAP itself could not complete. Everything else we end is a protocol or
// negotiation failure (LOGIN_NEGOTIATION_FAILED, LOGIN_INVALID_PDU ...). Both exit 19.
bool is_auth_failure(const Violation& violation) {
  const std::string_view id = violation.id();
  return id.starts_with("chap.") || id == "initiator-login.target-not-authenticated" ||
         id == "initiator-login.authentication-incomplete";
}

MappedLogin from_login_failure(const login::LoginFailure& failure) {
  MappedLogin mapped;
  if (failure.kind == login::LoginFailure::Kind::target_status && failure.status) {
    mapped.outcome.failure = LoginFailure::login_status;
    mapped.outcome.status = *failure.status;
    // Class 3 (target error) is retried (usr/initiator.c __check_iscsi_status_class).
    mapped.retryable = pdu::status_class(static_cast<pdu::LoginStatus>(*failure.status)) == 3;
    return mapped;
  }
  mapped.outcome.failure =
      is_auth_failure(failure.violation) ? LoginFailure::local_auth : LoginFailure::local_protocol;
  mapped.outcome.reason = reason_of(failure.violation);
  return mapped;
}

MappedLogin transport(LoginFailure failure, bool retryable = true) {
  MappedLogin mapped;
  mapped.outcome.failure = failure;
  mapped.retryable = retryable;
  return mapped;
}

}  // namespace

MappedLogin map_login(const client::LoginOutcome& outcome) {
  switch (outcome.error) {
    case client::LoginError::none: return {};
    case client::LoginError::connect_failed:
      return transport(outcome.transport == runtime::CloseReason::timed_out
                           ? LoginFailure::connection_timeout
                           : LoginFailure::connection_refused);
    case client::LoginError::login_failed:
      if (outcome.failure) return from_login_failure(*outcome.failure);
      return transport(LoginFailure::local_protocol, false);
    case client::LoginError::closed_during_login: return transport(LoginFailure::connection_lost);
    case client::LoginError::login_timeout: return transport(LoginFailure::connection_timeout);
    case client::LoginError::bad_redirect:
      // LOGIN_REDIRECTION_FAILED: retried like a lost connection.
      return transport(LoginFailure::connection_lost);
    case client::LoginError::too_many_redirects: {
      MappedLogin mapped = transport(LoginFailure::local_protocol, false);
      mapped.outcome.reason = fmt::format("the target redirected the login {} times",
                                          outcome.redirections.size());
      return mapped;
    }
  }
  return transport(LoginFailure::local_protocol, false);
}

MappedDiscovery map_discovery(const client::DiscoveryOutcome& outcome) {
  MappedDiscovery mapped;
  const MappedLogin login = map_login(outcome.login);
  mapped.retryable = login.retryable;
  mapped.status = login.outcome.status;
  mapped.reason = login.outcome.reason;
  switch (login.outcome.failure) {
    case LoginFailure::none: break;
    case LoginFailure::login_status:
      mapped.failure = iscsiadm::DiscoveryFailure::login_status;
      break;
    case LoginFailure::local_auth: mapped.failure = iscsiadm::DiscoveryFailure::local_auth; break;
    case LoginFailure::local_protocol:
    case LoginFailure::already_logged_in:
      mapped.failure = iscsiadm::DiscoveryFailure::local_protocol;
      break;
    case LoginFailure::connection_refused:
      mapped.failure = iscsiadm::DiscoveryFailure::connection_refused;
      break;
    case LoginFailure::connection_timeout:
      mapped.failure = iscsiadm::DiscoveryFailure::connection_timeout;
      break;
    case LoginFailure::connection_lost:
      mapped.failure = iscsiadm::DiscoveryFailure::connection_lost;
      break;
  }
  if (mapped.failure != iscsiadm::DiscoveryFailure::none) return mapped;
  if (outcome.text_failure) {
    // The SendTargets exchange failed: iscsiadm reconnects (LOGIN_IO_ERROR).
    mapped.failure = iscsiadm::DiscoveryFailure::connection_lost;
    mapped.reason = outcome.text_failure->detail;
    mapped.retryable = true;
  } else if (outcome.parse_error) {
    mapped.failure = iscsiadm::DiscoveryFailure::local_protocol;
    mapped.reason = reason_of(*outcome.parse_error);
  }
  return mapped;
}

}  // namespace iscsi::initiator::host
