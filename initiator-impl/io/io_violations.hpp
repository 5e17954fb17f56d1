#pragma once
// Findings of initiator-impl/io: what the user typed, not what a target sent. Ids are stable.
#include "core/common/violation.hpp"

namespace iscsi::initiator::io::violations {

// An iSCSI URL that does not follow libiscsi's form
// iscsi://[<user>[%<password>]@]<host>[:<port>]/<target-iqn>/<lun> (the URL scheme of RFC
// 3986 §3 as libiscsi's iscsi_parse_url reads it).
inline constexpr ViolationKind kBadUrl{"io.bad-url", "RFC 3986 §3 (libiscsi iscsi_parse_url)",
                                       Severity::fatal};

}  // namespace iscsi::initiator::io::violations
