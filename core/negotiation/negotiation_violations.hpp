#pragma once
// The catalogue of negotiation violations (RFC 7143 §6.2, §6.3, §13). Ids are stable: they
// appear in reports and scenario expectations.
//
// Severity tells the login and text engines what to do:
//  - fatal: the negotiation fails. A target answers the login with class 2 (0x0200 unless a
//    more specific code applies: negotiation.unsupported-session-type is 0x0209); an initiator
//    drops the connection; in full feature phase the connection is closed.
//  - recoverable: the key was answered Reject (or Irrelevant) and the negotiation goes on.
//  - warning: legal but odd input, reported only.
#include "core/common/violation.hpp"

namespace iscsi::negotiation {

// Responder side: problems in a received offer or declaration.
inline constexpr ViolationKind kReservedValueOffered{"negotiation.reserved-value-offered",
                                                     "RFC 7143 §6.2", Severity::fatal};
inline constexpr ViolationKind kEmptyValue{"negotiation.empty-value", "RFC 7143 §6.1",
                                           Severity::fatal};
inline constexpr ViolationKind kWrongSender{"negotiation.key-wrong-sender", "RFC 7143 §6.2",
                                            Severity::fatal};
inline constexpr ViolationKind kWrongStage{"negotiation.key-wrong-stage", "RFC 7143 §6.3",
                                           Severity::fatal};
inline constexpr ViolationKind kNotRenegotiable{"negotiation.key-not-renegotiable",
                                                "RFC 7143 §6.4", Severity::recoverable};
inline constexpr ViolationKind kLeadingOnly{"negotiation.leading-only-key", "RFC 7143 §13",
                                            Severity::recoverable};
inline constexpr ViolationKind kBadValue{"negotiation.bad-value", "RFC 7143 §6.2",
                                         Severity::recoverable};
inline constexpr ViolationKind kNoAcceptableValue{"negotiation.no-acceptable-value",
                                                  "RFC 7143 §6.2.1", Severity::recoverable};
inline constexpr ViolationKind kUnsupportedSessionType{
    "negotiation.unsupported-session-type", "RFC 7143 §13.21", Severity::fatal};
inline constexpr ViolationKind kTooManyKeys{"negotiation.too-many-keys", "RFC 7143 §6.2",
                                            Severity::fatal};

// Originator side: problems in the answer to one of our offers.
inline constexpr ViolationKind kAnswerRejected{"negotiation.answer-rejected", "RFC 7143 §6.2",
                                               Severity::fatal};
inline constexpr ViolationKind kAnswerNotUnderstood{"negotiation.answer-not-understood",
                                                    "RFC 7143 §6.2", Severity::fatal};
inline constexpr ViolationKind kAnswerNotOffered{"negotiation.answer-not-offered",
                                                 "RFC 7143 §6.2.1", Severity::fatal};
inline constexpr ViolationKind kAnswerOutOfBounds{"negotiation.answer-out-of-bounds",
                                                  "RFC 7143 §6.2.2", Severity::fatal};
inline constexpr ViolationKind kBadAnswer{"negotiation.bad-answer", "RFC 7143 §6.2",
                                          Severity::fatal};
inline constexpr ViolationKind kMissingAnswer{"negotiation.missing-answer", "RFC 7143 §6.2",
                                              Severity::fatal};

// Either side: results that break a cross-key rule.
inline constexpr ViolationKind kFirstBurstExceedsMaxBurst{
    "negotiation.first-burst-exceeds-max-burst", "RFC 7143 §13.14", Severity::fatal};

// Our own configuration.
inline constexpr ViolationKind kBadPolicy{"negotiation.bad-policy", "RFC 7143 §13",
                                          Severity::fatal};

}  // namespace iscsi::negotiation
