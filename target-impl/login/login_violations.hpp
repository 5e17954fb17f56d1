#pragma once
// The catalogue of login findings at the target (RFC 7143 §6.3, §11.12, §11.13). Ids are
// stable: they appear in reports and scenario expectations. Every kind here ends the login:
// the target answers with the Login status the engine picks (login_status.hpp) and closes the
// connection (RFC 7143 §11.13.5: after a non-zero Status-Class both sides close). Problems in
// the text itself keep their text.* / negotiation.* / chap.* ids from core's catalogues.
#include "core/common/violation.hpp"

namespace iscsi::target::login::violations {

// Header fields of a Login Request (RFC 7143 §11.12).
inline constexpr ViolationKind kUnsupportedVersion{"login.unsupported-version",
                                                   "RFC 7143 §11.12.4", Severity::fatal};
inline constexpr ViolationKind kTransitAndContinue{"login.transit-and-continue",
                                                   "RFC 7143 §11.12.2", Severity::fatal};
// CSG 2 or 3, or NSG 2 (reserved) when T=1 (C028).
inline constexpr ViolationKind kReservedStage{"login.reserved-stage", "RFC 7143 §11.12.3",
                                              Severity::fatal};
// T=1 with NSG <= CSG (C029).
inline constexpr ViolationKind kBadNextStage{"login.bad-next-stage", "RFC 7143 §11.12.3",
                                             Severity::fatal};
// A CSG other than the stage the target agreed to: going back, or skipping ahead without a
// response with T=1 (RFC 7143 §6.3).
inline constexpr ViolationKind kUnexpectedStage{"login.unexpected-stage", "RFC 7143 §6.3",
                                                Severity::fatal};
// ISID, TSIH, CID, ITT, CmdSN or Version-max/min differ between the requests of one login
// (C030).
inline constexpr ViolationKind kFieldChanged{"login.field-changed", "RFC 7143 §11.12",
                                             Severity::fatal};
// A PDU other than a Login Request before the Login Final-Response (RFC 7143 §6.3).
inline constexpr ViolationKind kUnexpectedPdu{"login.unexpected-pdu", "RFC 7143 §6.3",
                                              Severity::fatal};
// A Login Request with data while the target is still sending a response text with C=1: the
// initiator must pull the rest with empty requests (RFC 7143 §11.13, C043).
inline constexpr ViolationKind kDataDuringContinuation{"login.data-during-continuation",
                                                       "RFC 7143 §11.12.2", Severity::fatal};
// More Login Requests than kMaxLoginRequests: a login that never ends.
inline constexpr ViolationKind kTooManyRequests{"login.too-many-requests", "RFC 7143 §6.3",
                                                Severity::fatal};

// The leading request's identity keys (RFC 7143 §6.3.1, C021, C022).
inline constexpr ViolationKind kMissingInitiatorName{"login.missing-initiator-name",
                                                     "RFC 7143 §6.3.1", Severity::fatal};
inline constexpr ViolationKind kMissingTargetName{"login.missing-target-name",
                                                  "RFC 7143 §6.3.1", Severity::fatal};
// InitiatorName, TargetName or SessionType first sent in a later request of the login: the
// target chose the target, the policy and the authentication from the first one.
inline constexpr ViolationKind kIdentityKeyLate{"login.identity-key-late", "RFC 7143 §6.3.1",
                                                Severity::fatal};
inline constexpr ViolationKind kUnknownTarget{"login.unknown-target", "RFC 7143 §11.13.5",
                                              Severity::fatal};
// The ACL does not admit the initiator (C024).
inline constexpr ViolationKind kNotAuthorized{"login.not-authorized", "RFC 7143 §11.13.5",
                                              Severity::fatal};
// A non-zero TSIH the registry does not know (C037).
inline constexpr ViolationKind kUnknownSession{"login.unknown-session", "RFC 7143 §11.13.5",
                                               Severity::fatal};
// A connection added to an existing session beyond MaxConnections (C038).
inline constexpr ViolationKind kTooManyConnections{"login.too-many-connections",
                                                   "RFC 7143 §13.2", Severity::fatal};

// Authentication (RFC 7143 §6.3, §12.1).
// The target requires CHAP and the initiator offers only None, offers no AuthMethod before it
// asks to leave the security stage, or starts in the operational stage (C041, C082).
inline constexpr ViolationKind kAuthenticationRequired{"login.authentication-required",
                                                       "RFC 7143 §6.3", Severity::fatal};
// AuthMethod answered Reject: no offered method is one the target uses (C085 for AuthMethod).
inline constexpr ViolationKind kNoCommonAuthMethod{"login.no-common-auth-method",
                                                   "RFC 7143 §12.1", Severity::fatal};
// AuthMethod in the operational stage: a security key out of its stage (C104), fatal as
// negotiation.key-wrong-stage under rfc. tgt 1.0.85 skips it silently (text_scan_login), so the
// tgt profile drops it and reports this warning.
inline constexpr ViolationKind kAuthMethodIgnored{"login.auth-method-ignored", "RFC 7143 §6.3",
                                                  Severity::warning};
// CHAP_* keys without AuthMethod=CHAP agreed.
inline constexpr ViolationKind kUnexpectedAuthKeys{"login.unexpected-auth-keys",
                                                   "RFC 7143 §12.1.3", Severity::fatal};

// Our own side (not the initiator's fault; the login still ends).
// A target parameter that does not make a valid policy, a missing runtime hook, a response we
// cannot build (0x0300).
inline constexpr ViolationKind kTargetError{"login.target-error", "RFC 7143 §11.13.5",
                                            Severity::fatal};
// The session registry has no TSIH left (0x0302).
inline constexpr ViolationKind kOutOfResources{"login.out-of-resources", "RFC 7143 §11.13.5",
                                               Severity::fatal};

}  // namespace iscsi::target::login::violations
