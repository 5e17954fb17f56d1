#pragma once
// Outcomes to words: what the login, discovery and logout machinery found, turned into
// open-iscsi 2.1.8's lines and exit codes (digest §6.1/§6.2, peer-behaviour.md), plus one
// last stderr line of our own naming the wire status behind the failure (iscsiadm never says
// why). Pure functions; the caller does the protocol and the retries.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "initiator-impl/iscsiadm/report.hpp"

namespace iscsi::initiator::iscsiadm {

enum class LoginFailure {
  none,                // logged in
  login_status,        // the target answered a non-zero Status-Class (`status`)
  local_auth,          // we rejected the target: wrong mutual CHAP_R, reflected challenge...
  local_protocol,      // negotiation failed, bad Version-active, invalid Login Response
  connection_refused,  // TCP refused, after the retries
  connection_timeout,  // no TCP connection or no answer within login_timeout, after retries
  connection_lost,     // the target closed or reset the connection mid-login, after retries
  already_logged_in,   // a session to this node exists; no login attempted
};

struct LoginOutcome {
  LoginFailure failure = LoginFailure::none;
  std::uint16_t status = 0;  // (Status-Class << 8) | Status-Detail, for login_status
  std::string reason;        // one sentence for local failures, e.g. the violation id
};

struct LoginTarget {
  std::string iface = "default";
  std::string target;
  std::string address;
  int port = 3260;
};

struct LoginAttempt {
  LoginTarget target;
  LoginOutcome outcome;
};

// iscsiadm's exit code for one node login: 24 for 0x0201/0x0202, 19 for other class-2
// statuses, unknown classes and local failures, 5 for class 1/3 after the retries, 4 refused,
// 8 timed out, 5 lost mid-login, 15 already logged in.
int login_exit_code(const LoginOutcome& outcome);

// The whole output of `-m node ... -l` (or -L) over several records: every
// "Logging in to [...]" line first (iscsiadm sends all requests, then waits), then each
// result in order; "Could not log into all portals" when any failed; the first failure's
// exit code.
Report login_report(std::span<const LoginAttempt> attempts);

// Our extra stderr line for a failed outcome ("" for success), e.g.
// "iscsiadm: target answered Login status 0x0202 (Authorization failure: the initiator is
// not allowed access to the given target)".
std::string wire_status_line(const LoginOutcome& outcome, const LoginTarget& target);

enum class DiscoveryFailure {
  none,
  login_status,
  local_auth,
  local_protocol,
  connection_refused,
  connection_timeout,
  connection_lost,
};

struct DiscoveryOutcome {
  DiscoveryFailure failure = DiscoveryFailure::none;
  std::uint16_t status = 0;
  std::string reason;
  int attempts = 1;    // connection attempts made (each refused one prints a line)
  int reopen_max = 5;  // discovery.sendtargets.reopen_max
};

// Class 2 statuses end at once as 24 / 19, as for node logins; class 1, 3 and unknown classes
// are retried and end as 5 once reopen_max reconnects failed (iscsi_create_session()); local
// failures are 19; an unreachable portal is 11 (the figure; 2.1.8's discovery.c
// would return the connect error, 4 or 8).
int discovery_exit_code(const DiscoveryOutcome& outcome);

// The output of a failed `-m discovery -t st -p IP:PORT` (a successful one is
// apply_sendtargets()'s): discovery.c's line per failed attempt ("cannot make connection to IP:
// Connection refused", "discovery login to IP rejected: target error (03/01)", ...),
// "connection login retries (reopen_max) N exceeded" for retried failures, "Could not perform
// SendTargets discovery: <message>", then our wire line.
Report discovery_failure_report(const std::string& address, int port,
                                const DiscoveryOutcome& outcome);

// One session of the session daemon.
struct SessionInfo {
  int sid = 0;
  std::string target;
  std::string address;
  int port = 3260;
  int tpgt = 1;
  std::string iface = "default";
};

// `-m session`: "tcp: [SID] IP:PORT,TPGT IQN (non-flash)" per session, or "No active
// sessions." with exit 21.
Report session_list(std::span<const SessionInfo> sessions);

struct LogoutAttempt {
  SessionInfo session;
  bool ok = true;
};

// `-u` / `-U all`: "Logging out of session [sid: N, target: IQN, portal: IP,PORT]" lines,
// then "Logout of [...] successful." or "Could not logout of [...]." with error 10; "No
// matching sessions found" (exit 21) when there is none.
Report logout_report(std::span<const LogoutAttempt> attempts);

}  // namespace iscsi::initiator::iscsiadm
