// Sentences for people about a login or a discovery that did not go as asked.
#include <fmt/format.h>

#include "core/pdu/login_status.hpp"
#include "initiator-impl/client/client.hpp"

namespace iscsi::initiator::client {
namespace {

std::string describe_failure(const login::LoginFailure& failure) {
  if (failure.status) {
    const auto status = static_cast<pdu::LoginStatus>(*failure.status);
    return fmt::format("target status 0x{:04x} ({}): {}", *failure.status, pdu::describe(status),
                       failure.violation.detail);
  }
  return fmt::format("{} failure ({}): {}", login::to_string(failure.kind), failure.violation.id(),
                     failure.violation.detail);
}

}  // namespace

std::string_view to_string(LoginError error) {
  switch (error) {
    case LoginError::none:
      return "none";
    case LoginError::connect_failed:
      return "connect_failed";
    case LoginError::login_failed:
      return "login_failed";
    case LoginError::too_many_redirects:
      return "too_many_redirects";
    case LoginError::bad_redirect:
      return "bad_redirect";
    case LoginError::closed_during_login:
      return "closed_during_login";
    case LoginError::login_timeout:
      return "login_timeout";
  }
  return "unknown";
}

std::string LoginOutcome::describe() const {
  const std::string where = portal.to_string();
  const std::string_view close = transport ? runtime::to_string(*transport) : "unknown";
  switch (error) {
    case LoginError::none:
      return fmt::format("logged in at {}", where);
    case LoginError::connect_failed:
      return fmt::format("cannot connect to {}: {}", where, close);
    case LoginError::login_failed:
      return failure ? fmt::format("login to {} failed: {}", where, describe_failure(*failure))
                     : fmt::format("login to {} failed", where);
    case LoginError::too_many_redirects:
      return fmt::format("login gave up after {} redirections (last to {})", redirections.size(),
                         where);
    case LoginError::bad_redirect:
      return fmt::format("login redirected from {} to an address we cannot reach", where);
    case LoginError::closed_during_login:
      return fmt::format("the connection to {} ended during the login ({})", where, close);
    case LoginError::login_timeout:
      return fmt::format("the login at {} timed out", where);
  }
  return "unknown";
}

std::string DiscoveryOutcome::describe() const {
  if (login.error != LoginError::none) return login.describe();
  if (text_failure) {
    return fmt::format("SendTargets failed ({}): {}", session::to_string(text_failure->reason),
                       text_failure->detail);
  }
  if (parse_error) return fmt::format("SendTargets answer unreadable: {}", parse_error->detail);
  return fmt::format("{} target(s) found", targets.size());
}

}  // namespace iscsi::initiator::client
