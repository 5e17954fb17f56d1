#include "initiator-impl/iscsiadm/outcome.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/pdu/login_status.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/portal.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

std::string bracket(const LoginTarget& t) {
  return fmt::format("[iface: {}, target: {}, portal: {},{}]", t.iface, t.target, t.address,
                     t.port);
}

std::string session_bracket(const SessionInfo& s) {
  return fmt::format("[sid: {}, target: {}, portal: {},{}]", s.sid, s.target, s.address, s.port);
}

// __check_iscsi_status_class(): what a Login status ends as once iscsid gives up.
ErrorCode status_code(std::uint16_t status) {
  auto value = static_cast<pdu::LoginStatus>(status);
  switch (pdu::status_class(value)) {
    case 0: return ErrorCode::success;
    case 1:
    case 3: return ErrorCode::login;  // retried until initial_login_retry_max runs out
    case 2: {
      std::uint8_t detail = pdu::status_detail(value);
      return detail == 0x01 || detail == 0x02 ? ErrorCode::login_auth_failed
                                              : ErrorCode::fatal_login;
    }
    default: return ErrorCode::fatal_login;
  }
}

std::string with_reason(const std::string& reason, std::string_view fallback) {
  return reason.empty() ? std::string(fallback) : reason;
}

LoginFailure to_login_failure(DiscoveryFailure failure) {
  switch (failure) {
    case DiscoveryFailure::none: return LoginFailure::none;
    case DiscoveryFailure::login_status: return LoginFailure::login_status;
    case DiscoveryFailure::local_auth: return LoginFailure::local_auth;
    case DiscoveryFailure::local_protocol: return LoginFailure::local_protocol;
    case DiscoveryFailure::connection_refused: return LoginFailure::connection_refused;
    case DiscoveryFailure::connection_timeout: return LoginFailure::connection_timeout;
    case DiscoveryFailure::connection_lost: return LoginFailure::connection_lost;
  }
  return LoginFailure::local_protocol;
}

}  // namespace

int login_exit_code(const LoginOutcome& outcome) {
  switch (outcome.failure) {
    case LoginFailure::none: return 0;
    case LoginFailure::login_status: return exit_code(status_code(outcome.status));
    case LoginFailure::local_auth:
    case LoginFailure::local_protocol: return exit_code(ErrorCode::fatal_login);
    case LoginFailure::connection_refused: return exit_code(ErrorCode::trans);
    case LoginFailure::connection_timeout: return exit_code(ErrorCode::trans_timeout);
    case LoginFailure::connection_lost: return exit_code(ErrorCode::login);
    case LoginFailure::already_logged_in: return exit_code(ErrorCode::sess_exists);
  }
  return exit_code(ErrorCode::err);
}

std::string wire_status_line(const LoginOutcome& outcome, const LoginTarget& target) {
  std::string portal = format_portal(target.address, target.port);
  switch (outcome.failure) {
    case LoginFailure::none: return "";
    case LoginFailure::login_status: {
      auto status = static_cast<pdu::LoginStatus>(outcome.status);
      std::string_view meaning = pdu::describe(status);
      return fmt::format("iscsiadm: target answered Login status 0x{:04x} ({}{}{})",
                         outcome.status, pdu::to_string(status), meaning.empty() ? "" : ": ",
                         meaning);
    }
    case LoginFailure::local_auth:
      return "iscsiadm: the initiator rejected the target's authentication: " +
             with_reason(outcome.reason, "the target's CHAP response was wrong");
    case LoginFailure::local_protocol:
      return "iscsiadm: the initiator ended the login: " +
             with_reason(outcome.reason, "the target's Login Response broke the protocol");
    case LoginFailure::connection_refused:
      return fmt::format("iscsiadm: no Login status: TCP connection to {} refused", portal);
    case LoginFailure::connection_timeout:
      return fmt::format("iscsiadm: no Login status: no answer from {} within the login timeout",
                         portal);
    case LoginFailure::connection_lost:
      return fmt::format("iscsiadm: no Login status: {} closed the connection during login",
                         portal);
    case LoginFailure::already_logged_in:
      return fmt::format("iscsiadm: a session to {} at {} exists already; no login was sent",
                         target.target, portal);
  }
  return "";
}

Report login_report(std::span<const LoginAttempt> attempts) {
  Report report;
  // iscsi_login_portal(): an existing session stops the request before "Logging in".
  for (const LoginAttempt& a : attempts) {
    if (a.outcome.failure == LoginFailure::already_logged_in) {
      report.error(fmt::format("{}: 1 session requested, but 1 already present.", a.target.iface));
    } else {
      report.say("Logging in to " + bracket(a.target));
    }
  }
  bool any_failed = false;
  for (const LoginAttempt& a : attempts) {
    int code = login_exit_code(a.outcome);
    if (code == 0) {
      report.say(fmt::format("Login to {} successful.", bracket(a.target)));
      continue;
    }
    any_failed = true;
    if (report.exit_code == 0) report.exit_code = code;
    if (a.outcome.failure != LoginFailure::already_logged_in) {
      report.error(fmt::format("Could not login to {}.", bracket(a.target)));
      report.error(fmt::format("initiator reported error ({} - {})", code, error_message(code)));
    }
  }
  if (any_failed) report.error("Could not log into all portals");
  for (const LoginAttempt& a : attempts) {
    std::string line = wire_status_line(a.outcome, a.target);
    if (!line.empty()) report.err += line + "\n";
  }
  return report;
}

int discovery_exit_code(const DiscoveryOutcome& outcome) {
  switch (outcome.failure) {
    case DiscoveryFailure::none: return 0;
    case DiscoveryFailure::login_status:
      // iscsi_create_session(): class 2 gives up at once (24 or 19); every other class
      // reconnects until reopen_max runs out and ends as the ISCSI_ERR_LOGIN it started with.
      if (pdu::status_class(static_cast<pdu::LoginStatus>(outcome.status)) == 2) {
        return exit_code(status_code(outcome.status));
      }
      return exit_code(ErrorCode::login);
    case DiscoveryFailure::local_auth:
    case DiscoveryFailure::local_protocol: return exit_code(ErrorCode::fatal_login);
    case DiscoveryFailure::connection_refused:
    case DiscoveryFailure::connection_timeout:
    case DiscoveryFailure::connection_lost: return exit_code(ErrorCode::pdu_timeout);
  }
  return exit_code(ErrorCode::err);
}

namespace {

// The line iscsi_create_session() logs for each rejected discovery login, and whether it
// reconnects after it ("" when it logs nothing).
std::string discovery_status_line(const std::string& address, std::uint16_t status) {
  auto value = static_cast<pdu::LoginStatus>(status);
  const unsigned cls = pdu::status_class(value);
  const unsigned detail = pdu::status_detail(value);
  switch (cls) {
    case 1:
      return fmt::format("discovery login rejected: redirection type 0x{:x} not supported",
                         detail);
    case 2:
      // The format string ends in "\n" and log_error() adds another: an empty line follows.
      if (detail == 0x01 || detail == 0x02) {
        return fmt::format("discovery login to {} rejected: initiator failed authorization\n",
                           address);
      }
      return fmt::format(
          "discovery login to {} rejected: initiator error ({:02x}/{:02x}), non-retryable, "
          "giving up",
          address, cls, detail);
    case 3:
      return fmt::format("discovery login to {} rejected: target error ({:02x}/{:02x})", address,
                         cls, detail);
    default:
      return fmt::format(
          "discovery login to {} failed, response with unknown status class 0x{:x}, detail "
          "0x{:x}",
          address, cls, detail);
  }
}

// The lines before "Could not perform SendTargets discovery": one per failed attempt for the
// failures iscsiadm retries, one for those it gives up on at once.
void discovery_attempt_lines(const std::string& address, const DiscoveryOutcome& outcome,
                             Report& report) {
  const int repeats = std::clamp(outcome.attempts, 1, 64);
  switch (outcome.failure) {
    case DiscoveryFailure::none: return;
    case DiscoveryFailure::login_status: {
      const bool retried =
          pdu::status_class(static_cast<pdu::LoginStatus>(outcome.status)) != 2;
      const std::string line = discovery_status_line(address, outcome.status);
      for (int i = 0; i < (retried ? repeats : 1); ++i) report.error(line);
      return;
    }
    // LOGIN_AUTHENTICATION_FAILED is 5 and LOGIN_NEGOTIATION_FAILED 4 in initiator.h.
    case DiscoveryFailure::local_auth:
      report.error(fmt::format("discovery login to {} failed, giving up 5", address));
      return;
    case DiscoveryFailure::local_protocol:
      report.error(fmt::format("discovery login to {} failed, giving up 4", address));
      return;
    case DiscoveryFailure::connection_refused:
      for (int i = 0; i < repeats; ++i) {
        report.error(fmt::format("cannot make connection to {}: Connection refused", address));
      }
      return;
    case DiscoveryFailure::connection_timeout:
    case DiscoveryFailure::connection_lost: return;
  }
}

}  // namespace

Report discovery_failure_report(const std::string& address, int port,
                                const DiscoveryOutcome& outcome) {
  Report report;
  int code = discovery_exit_code(outcome);
  if (code == 0) return report;
  discovery_attempt_lines(address, outcome, report);
  if (code == exit_code(ErrorCode::pdu_timeout) || code == exit_code(ErrorCode::login)) {
    report.error(fmt::format("connection login retries (reopen_max) {} exceeded",
                             outcome.reopen_max));
  }
  report.error(fmt::format("Could not perform SendTargets discovery: {}", error_message(code)));
  LoginOutcome as_login{to_login_failure(outcome.failure), outcome.status, outcome.reason};
  report.err += wire_status_line(as_login, LoginTarget{"default", "", address, port}) + "\n";
  report.exit_code = code;
  return report;
}

Report session_list(std::span<const SessionInfo> sessions) {
  Report report;
  if (sessions.empty()) {
    report.error("No active sessions.");
    report.exit_code = exit_code(ErrorCode::no_objs_found);
    return report;
  }
  for (const SessionInfo& s : sessions) {
    report.say(fmt::format("tcp: [{}] {},{} {} (non-flash)", s.sid,
                           format_portal(s.address, s.port), s.tpgt, s.target));
  }
  return report;
}

Report logout_report(std::span<const LogoutAttempt> attempts) {
  Report report;
  if (attempts.empty()) {
    report.error("No matching sessions found");
    report.exit_code = exit_code(ErrorCode::no_objs_found);
    return report;
  }
  for (const LogoutAttempt& a : attempts) {
    report.say("Logging out of session " + session_bracket(a.session));
  }
  bool any_failed = false;
  for (const LogoutAttempt& a : attempts) {
    if (a.ok) {
      report.say(fmt::format("Logout of {} successful.", session_bracket(a.session)));
      continue;
    }
    any_failed = true;
    report.error(fmt::format("Could not logout of {}.", session_bracket(a.session)));
    report.error(fmt::format("initiator reported error ({} - {})", exit_code(ErrorCode::logout),
                             error_message(ErrorCode::logout)));
    if (report.exit_code == 0) report.exit_code = exit_code(ErrorCode::logout);
  }
  if (any_failed) report.error("Could not logout of all requested sessions");
  return report;
}

}  // namespace iscsi::initiator::iscsiadm
