#pragma once
// Findings of the server layer: what the connection driver and the target server report
// through TraceSink besides the engines' own violations. Ids are stable.
#include "core/common/violation.hpp"

namespace iscsi::target::server::violations {

// The initiator did not finish its login in time (RFC 7143 §6.3 leaves the bound to the
// target; tgt and LIO close such connections too).
inline constexpr ViolationKind kLoginTimeout{"target.login-timeout", "RFC 7143 §6.3",
                                             Severity::fatal};
// The initiator kept sending while not reading our responses, past the bound on held input.
inline constexpr ViolationKind kInputOverrun{"target.input-overrun", "RFC 7143 §4.2.2.1",
                                             Severity::fatal};
// The stream ended inside a PDU.
inline constexpr ViolationKind kTruncatedStream{"target.truncated-stream", "RFC 7143 §11.2",
                                                Severity::recoverable};
// More connections than the server serves at once; the new one is reset.
inline constexpr ViolationKind kTooManyConnections{"target.too-many-connections",
                                                   "RFC 7143 §6.3", Severity::fatal};
// A LUN's backing store could not be opened or created.
inline constexpr ViolationKind kBackingStore{"target.backing-store", "tgtadm --backing-store",
                                             Severity::recoverable};
// A portal could not be listened on.
inline constexpr ViolationKind kListenFailed{"target.listen-failed", "RFC 7143 §4.1",
                                             Severity::fatal};

}  // namespace iscsi::target::server::violations
