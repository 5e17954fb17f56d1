#pragma once
// What the application asks of a login, and what it gets back: the portal and the source
// address, the LoginEngine's setup (names, target, CHAP, operational policy), the timeouts, the
// redirection bound and the ERL 0 recovery policy; then either a Session or exactly what went
// wrong (connect refused or timed out, the Login status, a local or protocol failure, too many
// redirections, a close or timeout during the login).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/violation.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/network.hpp"
#include "core/runtime/rng.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/trace_sink.hpp"
#include "initiator-impl/client/connection.hpp"
#include "initiator-impl/login/login_engine.hpp"

namespace iscsi::initiator::client {

class Session;

// The runtime the client runs on; every callback comes from its event loop. All must outlive
// the Client and its sessions; trace is optional.
struct ClientRuntime {
  runtime::Network* network = nullptr;
  runtime::TimerService* timers = nullptr;
  runtime::Clock* clock = nullptr;
  runtime::Rng* rng = nullptr;
  runtime::TraceSink* trace = nullptr;
};

// ERL 0 recovery (RFC 7143 §6.3.5, §7.1): after the connection of a Normal session drops in
// full feature phase (not after our logout), log in again with the same ISID and TSIH 0 (session
// reinstatement) and send every command that had not completed again.
struct RecoverySettings {
  // Reconnect attempts after one loss; 0 disables recovery (open commands fail at once).
  unsigned max_attempts = 5;
  // Wait before each attempt (DefaultTime2Wait is 2 s; open-iscsi retries for
  // replacement_timeout, 120 s, in all).
  runtime::Duration retry_delay = std::chrono::seconds(2);
};

// Bound on redirections followed by one login (each a new connection).
inline constexpr unsigned kDefaultMaxRedirects = 4;

struct LoginRequest {
  runtime::Endpoint portal;
  // Source address to bind (iface.ipaddress); 0: any.
  std::uint32_t source_ipv4 = 0;
  // Names, target (empty: a Discovery session), CHAP and the operational policy. An all-zero
  // ISID is replaced by a random-format one drawn from the runtime's Rng; rng is filled in.
  login::LoginSetup setup;
  runtime::Duration connect_timeout = std::chrono::seconds(127);
  unsigned max_redirects = kDefaultMaxRedirects;
  // Login timeout (15 s), NOP pings, session limits.
  ConnectionSettings connection;
  RecoverySettings recovery;
};

enum class LoginError : std::uint8_t {
  none,
  connect_failed,       // transport: refused or timed out
  login_failed,         // failure: a Login status, or a local or protocol failure
  too_many_redirects,   // more than max_redirects redirections
  bad_redirect,         // a redirection to an address we cannot connect to
  closed_during_login,  // transport: the connection ended before the Final-Response
  login_timeout,        // ConnectionSettings::login_timeout passed
};
std::string_view to_string(LoginError error);

struct LoginOutcome {
  std::shared_ptr<Session> session;  // set on success only
  LoginError error = LoginError::none;
  std::optional<runtime::CloseReason> transport;  // connect_failed, closed_during_login
  std::optional<login::LoginFailure> failure;     // login_failed
  std::vector<login::Redirection> redirections;   // followed, in order
  runtime::Endpoint portal;                       // the portal of the last connection
  std::vector<Violation> violations;              // seen during the login(s)

  bool ok() const { return session != nullptr; }
  // One sentence for people: "login failed: target status 0x0201 (...)".
  std::string describe() const;
};

}  // namespace iscsi::initiator::client
