#pragma once
// Findings of the initiator's connection driver and client: what they report through TraceSink
// besides the engines' own violations. Ids are stable.
#include "core/common/violation.hpp"

namespace iscsi::initiator::client::violations {

// The target did not finish the login in time (open-iscsi's node.conn[0].timeo.login_timeout,
// 15 s; RFC 7143 §6.3 leaves the bound to the initiator).
inline constexpr ViolationKind kLoginTimeout{"initiator-client.login-timeout", "RFC 7143 §6.3",
                                             Severity::fatal};
// The target closed the connection before the Login Final-Response.
inline constexpr ViolationKind kClosedDuringLogin{"initiator-client.closed-during-login",
                                                  "RFC 7143 §6.3", Severity::fatal};
// The target kept sending while we could not write, past the bound on held input.
inline constexpr ViolationKind kInputOverrun{"initiator-client.input-overrun", "RFC 7143 §4.2.2.1",
                                             Severity::fatal};
// The stream ended inside a PDU.
inline constexpr ViolationKind kTruncatedStream{"initiator-client.truncated-stream",
                                                "RFC 7143 §11.2", Severity::recoverable};
// A redirection named a host we cannot connect to (not a dotted IPv4 address).
inline constexpr ViolationKind kBadRedirectAddress{"initiator-client.bad-redirect-address",
                                                   "RFC 7143 §13.8", Severity::fatal};
// The SendTargets answer could not be read.
inline constexpr ViolationKind kBadSendTargets{"initiator-client.bad-send-targets",
                                               "RFC 7143 §13.3", Severity::recoverable};

}  // namespace iscsi::initiator::client::violations
