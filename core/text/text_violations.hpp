#pragma once
// The catalogue of text-format violations (RFC 7143 §6.1, §6.2). The ids are stable: they appear
// in reports and scenario expectations. A fatal text violation fails the login with class 2
// (0x0200, "initiator error") at a target, and makes an initiator drop the connection.
#include "core/common/violation.hpp"

namespace iscsi::text {

inline constexpr ViolationKind kMissingNul{"text.missing-nul", "RFC 7143 §6.1", Severity::fatal};
inline constexpr ViolationKind kMissingEquals{"text.missing-equals", "RFC 7143 §6.1",
                                              Severity::fatal};
inline constexpr ViolationKind kEmptyKey{"text.empty-key", "RFC 7143 §6.1", Severity::fatal};
inline constexpr ViolationKind kKeyTooLong{"text.key-too-long", "RFC 7143 §6.1",
                                           Severity::fatal};
inline constexpr ViolationKind kValueTooLong{"text.value-too-long", "RFC 7143 §6.1",
                                             Severity::fatal};
inline constexpr ViolationKind kBadUtf8{"text.bad-utf8", "RFC 7143 §6.1", Severity::fatal};
// A key that is valid UTF-8 but not a standard-label: it is answered NotUnderstood, so this is
// only a warning (C074: "maxburstlength" is simply an unknown key, keys are case-sensitive).
inline constexpr ViolationKind kBadKeyName{"text.bad-key-name", "RFC 7143 §6.1",
                                           Severity::warning};
inline constexpr ViolationKind kTextTooLong{"text.too-long", "RFC 7143 §6.2", Severity::fatal};
inline constexpr ViolationKind kDuplicateKey{"text.duplicate-key", "RFC 7143 §6.2",
                                             Severity::fatal};
inline constexpr ViolationKind kBadNumericValue{"text.bad-numeric-value", "RFC 7143 §6.1",
                                                Severity::recoverable};
inline constexpr ViolationKind kBadBooleanValue{"text.bad-boolean-value", "RFC 7143 §6.1",
                                                Severity::recoverable};
inline constexpr ViolationKind kBadListValue{"text.bad-list-value", "RFC 7143 §6.1",
                                             Severity::recoverable};
inline constexpr ViolationKind kBadRangeValue{"text.bad-range-value", "RFC 7143 §6.1",
                                              Severity::recoverable};
inline constexpr ViolationKind kBadTargetAddress{"text.bad-target-address", "RFC 7143 §13.8",
                                                 Severity::recoverable};
inline constexpr ViolationKind kBadSendTargetsResponse{"text.bad-send-targets-response",
                                                       "RFC 7143 §13.3, Appendix C",
                                                       Severity::fatal};

}  // namespace iscsi::text
