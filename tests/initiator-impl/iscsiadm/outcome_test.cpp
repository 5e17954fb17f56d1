// Outcomes to iscsiadm's words and exit codes (digest §6, peer-behaviour.md).
#include <gtest/gtest.h>

#include "initiator-impl/iscsiadm/error_codes.hpp"
#include "initiator-impl/iscsiadm/outcome.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

const LoginTarget kTarget{"default", "iqn.2001-04.com.example:disk1", "192.168.1.10", 3260};

LoginOutcome status(std::uint16_t value) { return {LoginFailure::login_status, value, ""}; }

TEST(IscsiadmOutcome, ExitCodeTable) {
  struct Row {
    LoginOutcome outcome;
    int code;
  };
  const Row rows[] = {
      {{}, 0},
      {status(0x0201), 24},
      {status(0x0202), 24},
      {status(0x0200), 19},
      {status(0x0203), 19},
      {status(0x0205), 19},
      {status(0x020b), 19},
      {status(0x0300), 5},
      {status(0x0301), 5},
      {status(0x0101), 5},
      {status(0x0401), 19},
      {{LoginFailure::local_auth, 0, ""}, 19},
      {{LoginFailure::local_protocol, 0, ""}, 19},
      {{LoginFailure::connection_refused, 0, ""}, 4},
      {{LoginFailure::connection_timeout, 0, ""}, 8},
      {{LoginFailure::connection_lost, 0, ""}, 5},
      {{LoginFailure::already_logged_in, 0, ""}, 15},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(login_exit_code(row.outcome), row.code) << std::hex << row.outcome.status;
  }
}

TEST(IscsiadmOutcome, ErrorMessages) {
  EXPECT_EQ(error_message(ErrorCode::login_auth_failed),
            "iSCSI login failed due to authorization failure");
  EXPECT_EQ(error_message(19), "encountered non-retryable iSCSI login failure");
  EXPECT_EQ(error_message(21), "no objects found");
  EXPECT_EQ(error_message(99), "unknown error");
  EXPECT_EQ(error_message(-1), "unknown error");
}

TEST(IscsiadmOutcome, AuthorizationFailureLines) {
  LoginAttempt attempt{kTarget, status(0x0202)};
  Report report = login_report({&attempt, 1});
  EXPECT_EQ(report.exit_code, 24);
  EXPECT_EQ(report.out,
            "Logging in to [iface: default, target: iqn.2001-04.com.example:disk1, portal: "
            "192.168.1.10,3260]\n");
  EXPECT_EQ(report.err,
            "iscsiadm: Could not login to [iface: default, target: "
            "iqn.2001-04.com.example:disk1, portal: 192.168.1.10,3260].\n"
            "iscsiadm: initiator reported error (24 - iSCSI login failed due to authorization "
            "failure)\n"
            "iscsiadm: Could not log into all portals\n"
            "iscsiadm: target answered Login status 0x0202 (Authorization failure: the "
            "initiator is not allowed access to the given target)\n");
}

TEST(IscsiadmOutcome, SuccessLines) {
  LoginAttempt attempt{kTarget, {}};
  Report report = login_report({&attempt, 1});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.err, "");
  EXPECT_EQ(report.out,
            "Logging in to [iface: default, target: iqn.2001-04.com.example:disk1, portal: "
            "192.168.1.10,3260]\n"
            "Login to [iface: default, target: iqn.2001-04.com.example:disk1, portal: "
            "192.168.1.10,3260] successful.\n");
}

TEST(IscsiadmOutcome, MutualChapFailureNamesTheReason) {
  LoginAttempt attempt{kTarget, {LoginFailure::local_auth, 0,
                                 "the target's CHAP_R does not match (chap.response-mismatch)"}};
  Report report = login_report({&attempt, 1});
  EXPECT_EQ(report.exit_code, 19);
  EXPECT_NE(report.err.find("iscsiadm: initiator reported error (19 - encountered "
                            "non-retryable iSCSI login failure)\n"),
            std::string::npos);
  EXPECT_NE(report.err.find("iscsiadm: the initiator rejected the target's authentication: the "
                            "target's CHAP_R does not match (chap.response-mismatch)\n"),
            std::string::npos);
}

TEST(IscsiadmOutcome, SeveralPortalsFirstFailureWins) {
  LoginTarget second = kTarget;
  second.address = "192.168.1.11";
  const LoginAttempt attempts[] = {
      {kTarget, {}},
      {second, {LoginFailure::connection_timeout, 0, ""}},
      {kTarget, status(0x0201)},
  };
  Report report = login_report(attempts);
  EXPECT_EQ(report.exit_code, 8);
  // All requests go out first, then the results come back in order.
  EXPECT_EQ(report.out.find("Logging in to"), 0U);
  EXPECT_LT(report.out.rfind("Logging in to"), report.out.find("successful."));
  EXPECT_NE(report.err.find("(8 - connection timed out)"), std::string::npos);
  EXPECT_NE(report.err.find("(24 - iSCSI login failed"), std::string::npos);
  EXPECT_NE(report.err.find("no answer from 192.168.1.11:3260 within the login timeout"),
            std::string::npos);
}

TEST(IscsiadmOutcome, AlreadyLoggedIn) {
  LoginAttempt attempt{kTarget, {LoginFailure::already_logged_in, 0, ""}};
  Report report = login_report({&attempt, 1});
  EXPECT_EQ(report.exit_code, 15);
  EXPECT_EQ(report.out, "");
  EXPECT_EQ(report.err,
            "iscsiadm: default: 1 session requested, but 1 already present.\n"
            "iscsiadm: Could not log into all portals\n"
            "iscsiadm: a session to iqn.2001-04.com.example:disk1 at 192.168.1.10:3260 exists "
            "already; no login was sent\n");
}

TEST(IscsiadmOutcome, DiscoveryRefused) {
  DiscoveryOutcome outcome{DiscoveryFailure::connection_refused, 0, "", 2, 5};
  Report report = discovery_failure_report("127.0.0.1", 3260, outcome);
  EXPECT_EQ(report.exit_code, 11);
  EXPECT_EQ(report.err,
            "iscsiadm: cannot make connection to 127.0.0.1: Connection refused\n"
            "iscsiadm: cannot make connection to 127.0.0.1: Connection refused\n"
            "iscsiadm: connection login retries (reopen_max) 5 exceeded\n"
            "iscsiadm: Could not perform SendTargets discovery: iSCSI PDU timed out\n"
            "iscsiadm: no Login status: TCP connection to 127.0.0.1:3260 refused\n");
}

TEST(IscsiadmOutcome, DiscoveryStatusCodes) {
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::login_status, 0x0201, "", 1, 5}), 24);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::login_status, 0x0202, "", 1, 5}), 24);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::login_status, 0x0203, "", 1, 5}), 19);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::login_status, 0x0301, "", 6, 5}), 5);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::login_status, 0x0500, "", 6, 5}), 5);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::local_auth, 0, "", 1, 5}), 19);
  EXPECT_EQ(discovery_exit_code({DiscoveryFailure::connection_timeout, 0, "", 6, 5}), 11);
}

TEST(IscsiadmOutcome, DiscoveryAuthorizationFailureLeavesAnEmptyLine) {
  // discovery.c logs "...initiator failed authorization\n" and log_error() adds a newline.
  Report report = discovery_failure_report(
      "10.0.0.1", 3260, {DiscoveryFailure::login_status, 0x0201, "", 1, 5});
  EXPECT_EQ(report.exit_code, 24);
  EXPECT_EQ(report.err,
            "iscsiadm: discovery login to 10.0.0.1 rejected: initiator failed authorization\n"
            "\n"
            "iscsiadm: Could not perform SendTargets discovery: iSCSI login failed due to "
            "authorization failure\n"
            "iscsiadm: target answered Login status 0x0201 (Authentication failure: the "
            "initiator could not be successfully authenticated or target authentication is not "
            "supported)\n");
}

TEST(IscsiadmOutcome, DiscoveryOtherInitiatorErrorGivesUpAtOnce) {
  Report report = discovery_failure_report(
      "10.0.0.1", 3260, {DiscoveryFailure::login_status, 0x0203, "", 1, 5});
  EXPECT_EQ(report.exit_code, 19);
  EXPECT_EQ(report.err.substr(0, report.err.find("iscsiadm: target answered")),
            "iscsiadm: discovery login to 10.0.0.1 rejected: initiator error (02/03), "
            "non-retryable, giving up\n"
            "iscsiadm: Could not perform SendTargets discovery: encountered non-retryable iSCSI "
            "login failure\n");
}

TEST(IscsiadmOutcome, DiscoveryTargetErrorIsRetriedThenEndsAsLoginFailure) {
  Report report = discovery_failure_report(
      "10.0.0.1", 3260, {DiscoveryFailure::login_status, 0x0301, "", 3, 2});
  EXPECT_EQ(report.exit_code, 5);
  EXPECT_EQ(report.err.substr(0, report.err.find("iscsiadm: target answered")),
            "iscsiadm: discovery login to 10.0.0.1 rejected: target error (03/01)\n"
            "iscsiadm: discovery login to 10.0.0.1 rejected: target error (03/01)\n"
            "iscsiadm: discovery login to 10.0.0.1 rejected: target error (03/01)\n"
            "iscsiadm: connection login retries (reopen_max) 2 exceeded\n"
            "iscsiadm: Could not perform SendTargets discovery: encountered iSCSI login "
            "failure\n");
  Report unknown = discovery_failure_report(
      "10.0.0.1", 3260, {DiscoveryFailure::login_status, 0x0407, "", 1, 0});
  EXPECT_EQ(unknown.err.substr(0, unknown.err.find("iscsiadm: connection login")),
            "iscsiadm: discovery login to 10.0.0.1 failed, response with unknown status class "
            "0x4, detail 0x7\n");
}

TEST(IscsiadmOutcome, DiscoveryLocalFailuresNameTheLoginStatus) {
  Report auth = discovery_failure_report("10.0.0.1", 3260,
                                         {DiscoveryFailure::local_auth, 0, "bad CHAP_R", 1, 5});
  EXPECT_EQ(auth.exit_code, 19);
  EXPECT_EQ(auth.err,
            "iscsiadm: discovery login to 10.0.0.1 failed, giving up 5\n"
            "iscsiadm: Could not perform SendTargets discovery: encountered non-retryable iSCSI "
            "login failure\n"
            "iscsiadm: the initiator rejected the target's authentication: bad CHAP_R\n");
  Report proto = discovery_failure_report("10.0.0.1", 3260,
                                          {DiscoveryFailure::local_protocol, 0, "", 1, 5});
  EXPECT_EQ(proto.err.substr(0, proto.err.find('\n') + 1),
            "iscsiadm: discovery login to 10.0.0.1 failed, giving up 4\n");
}

TEST(IscsiadmOutcome, SessionsAndLogout) {
  Report none = session_list({});
  EXPECT_EQ(none.exit_code, 21);
  EXPECT_EQ(none.err, "iscsiadm: No active sessions.\n");
  const SessionInfo sessions[] = {{1, "iqn.x:a", "127.0.0.1", 3260, 1, "default"},
                                  {2, "iqn.x:b", "fe80::1", 3261, 2, "default"}};
  EXPECT_EQ(session_list(sessions).out,
            "tcp: [1] 127.0.0.1:3260,1 iqn.x:a (non-flash)\n"
            "tcp: [2] [fe80::1]:3261,2 iqn.x:b (non-flash)\n");
  const LogoutAttempt logouts[] = {{sessions[0], true}};
  Report out = logout_report(logouts);
  EXPECT_EQ(out.out,
            "Logging out of session [sid: 1, target: iqn.x:a, portal: 127.0.0.1,3260]\n"
            "Logout of [sid: 1, target: iqn.x:a, portal: 127.0.0.1,3260] successful.\n");
  Report nothing = logout_report({});
  EXPECT_EQ(nothing.err, "iscsiadm: No matching sessions found\n");
  EXPECT_EQ(nothing.exit_code, 21);
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
