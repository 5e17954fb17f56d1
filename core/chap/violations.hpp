#pragma once
// The catalogue of CHAP findings. Ids are stable: reports and scenario expectations name them.
// Failures are `fatal` (the login ends); `warning` kinds let the exchange go on.
#include "core/common/violation.hpp"

namespace iscsi::chap::violations {

// Key-level problems, both roles.
inline constexpr ViolationKind kMissingKey{"chap.missing-key", "RFC 7143 §12.1.3", Severity::fatal};
inline constexpr ViolationKind kDuplicateKey{"chap.duplicate-key", "RFC 7143 §6.2",
                                             Severity::fatal};
inline constexpr ViolationKind kKeyOutOfOrder{"chap.key-out-of-order", "RFC 7143 §12.1.3",
                                              Severity::fatal};
inline constexpr ViolationKind kKeysAfterCompletion{"chap.keys-after-completion", "RFC 7143 §6.3.2",
                                                    Severity::fatal};
inline constexpr ViolationKind kMalformedIdentifier{"chap.malformed-identifier", "RFC 7143 §12.1.3",
                                                    Severity::fatal};
inline constexpr ViolationKind kMalformedChallenge{"chap.malformed-challenge", "RFC 7143 §12.1.3",
                                                   Severity::fatal};
inline constexpr ViolationKind kChallengeTooLong{"chap.challenge-too-long", "RFC 7143 §12.1.3",
                                                 Severity::fatal};
inline constexpr ViolationKind kMalformedResponse{"chap.malformed-response", "RFC 7143 §12.1.3",
                                                  Severity::fatal};
// A CHAP_R must have exactly the digest length (LIO checks it; tgt answers 0x0200 to a longer one).
inline constexpr ViolationKind kResponseTooLong{"chap.response-too-long", "RFC 7143 §12.1.3",
                                                Severity::fatal};
inline constexpr ViolationKind kResponseTooShort{"chap.response-too-short", "RFC 7143 §12.1.3",
                                                 Severity::fatal};
inline constexpr ViolationKind kIdenticalSecrets{"chap.identical-secrets", "RFC 7143 §9.2.1",
                                                 Severity::fatal};

// Responder (target role).
inline constexpr ViolationKind kNoCommonAlgorithm{"chap.no-common-algorithm", "RFC 7143 §12.1.3",
                                                  Severity::fatal};
inline constexpr ViolationKind kUnknownUser{"chap.unknown-user", "RFC 7143 §12.1.3",
                                            Severity::fatal};
inline constexpr ViolationKind kWrongResponse{"chap.wrong-response", "RFC 7143 §12.1.3",
                                              Severity::fatal};
inline constexpr ViolationKind kReflectedChallenge{"chap.reflected-challenge", "RFC 7143 §12.1.3",
                                                   Severity::fatal};
inline constexpr ViolationKind kMutualNotConfigured{"chap.mutual-not-configured",
                                                    "RFC 7143 §12.1.3", Severity::fatal};

// Originator (initiator role).
inline constexpr ViolationKind kAlgorithmRejected{"chap.algorithm-rejected", "RFC 7143 §12.1.3",
                                                  Severity::fatal};
inline constexpr ViolationKind kUnsupportedAlgorithm{"chap.unsupported-algorithm",
                                                     "RFC 7143 §12.1.3", Severity::fatal};
inline constexpr ViolationKind kUnexpectedTargetName{"chap.unexpected-target-name",
                                                     "RFC 7143 §12.1.3", Severity::fatal};
inline constexpr ViolationKind kWrongTargetResponse{"chap.wrong-target-response",
                                                    "RFC 7143 §12.1.3", Severity::fatal};

// Our own side cannot go on (OpenSSL lacks a hash, the Rng keeps repeating the peer's challenge,
// the engine was driven out of order). Not the peer's fault, but the login still ends.
inline constexpr ViolationKind kDigestUnavailable{"chap.digest-unavailable", "RFC 7143 §12.1.3",
                                                  Severity::fatal};
inline constexpr ViolationKind kChallengeDrawFailed{"chap.challenge-draw-failed",
                                                    "RFC 7143 §12.1.3", Severity::fatal};
inline constexpr ViolationKind kEngineMisuse{"chap.engine-misuse", "RFC 7143 §12.1.3",
                                             Severity::fatal};

// Warnings: legal but weak.
inline constexpr ViolationKind kShortSecret{"chap.short-secret", "RFC 7143 §9.2.1",
                                            Severity::warning};
inline constexpr ViolationKind kShortChallenge{"chap.short-challenge", "RFC 7143 §12.1.3",
                                               Severity::warning};
inline constexpr ViolationKind kAlgorithmListWithoutMd5{"chap.algorithm-list-without-md5",
                                                        "RFC 7143 §12.1.3", Severity::warning};

}  // namespace iscsi::chap::violations
