#pragma once
// The catalogue of login findings at the initiator (RFC 7143 §6.3, §11.12, §11.13). Ids are
// stable: they appear in reports and scenario expectations. Fatal kinds end the login (we close
// without sending anything more, RFC 7143 §11.13.5); warnings are reported and the login goes
// on. Problems in the text itself keep their text.* / negotiation.* / chap.* ids.
#include "core/common/violation.hpp"

namespace iscsi::initiator::login::violations {

// A PDU other than a Login Response before the Final-Response (RFC 7143 §6.3).
inline constexpr ViolationKind kUnexpectedPdu{"initiator-login.unexpected-pdu", "RFC 7143 §6.3",
                                              Severity::fatal};
// A PDU after the login ended (after the Final-Response, a failure or a redirection).
inline constexpr ViolationKind kPduAfterEnd{"initiator-login.pdu-after-end", "RFC 7143 §6.3",
                                            Severity::warning};
// Version-active other than 0, the only version there is (C026, C050).
inline constexpr ViolationKind kBadVersion{"initiator-login.bad-version", "RFC 7143 §11.13.1",
                                           Severity::fatal};
// The Initiator Task Tag of the Login Request is not echoed (RFC 7143 §11.13).
inline constexpr ViolationKind kIttMismatch{"initiator-login.itt-mismatch", "RFC 7143 §11.13",
                                            Severity::fatal};
// The ISID is not echoed. Fatal on a success response; a warning on a status response (tgt
// 1.0.85 zeroes the header of its failure responses).
inline constexpr ViolationKind kIsidMismatch{"initiator-login.isid-mismatch", "RFC 7143 §11.13",
                                             Severity::fatal};
inline constexpr ViolationKind kStatusIsidMismatch{"initiator-login.status-isid-mismatch",
                                                   "RFC 7143 §11.13", Severity::warning};
// TSIH: 0 in every response of a new session but the Final-Response, non-zero there (C032);
// the TSIH we gave in every response when adding a connection (RFC 7143 §11.13.4).
inline constexpr ViolationKind kTsihMismatch{"initiator-login.tsih-mismatch", "RFC 7143 §11.13.4",
                                             Severity::fatal};
// StatSN: the first response's is taken, each later one must be one more (C034). A warning:
// we resynchronize and go on.
inline constexpr ViolationKind kStatSnGap{"initiator-login.stat-sn-gap", "RFC 7143 §4.2.2.2",
                                          Severity::warning};
// ExpCmdSN other than the login's CmdSN (C034), or MaxCmdSN below ExpCmdSN - 1 (§4.2.2.1).
inline constexpr ViolationKind kBadExpCmdSn{"initiator-login.bad-exp-cmd-sn", "RFC 7143 §11.13",
                                            Severity::warning};
inline constexpr ViolationKind kBadMaxCmdSn{"initiator-login.bad-max-cmd-sn", "RFC 7143 §4.2.2.1",
                                            Severity::warning};
// T=1 in a response to a request with T=0 (C031).
inline constexpr ViolationKind kUnrequestedTransit{"initiator-login.unrequested-transit",
                                                   "RFC 7143 §11.13", Severity::fatal};
// T=1 with an NSG beyond the one we asked for, a reserved NSG, or NSG <= CSG (C031).
inline constexpr ViolationKind kBadNextStage{"initiator-login.bad-next-stage", "RFC 7143 §11.13",
                                             Severity::fatal};
// CSG other than the request's (C031, C050).
inline constexpr ViolationKind kStageMismatch{"initiator-login.stage-mismatch", "RFC 7143 §11.13",
                                              Severity::fatal};
// T and C both set (RFC 7143 §11.13.2).
inline constexpr ViolationKind kTransitAndContinue{"initiator-login.transit-and-continue",
                                                   "RFC 7143 §11.13.2", Severity::fatal};
// A response with text while our own text is still going out with C=1: the target must answer
// each partial request with an empty response (RFC 7143 §11.12.2, C042).
inline constexpr ViolationKind kDataDuringContinuation{"initiator-login.data-during-continuation",
                                                       "RFC 7143 §11.12.2", Severity::fatal};
// A failure response with a data segment: allowed text (AuthMethod=Reject, CHAP_A=Reject) is
// common, so this is only noted.
inline constexpr ViolationKind kStatusWithData{"initiator-login.status-with-data",
                                               "RFC 7143 §11.13.5", Severity::warning};
// No TargetPortalGroupTag in the response to the first request of a Normal session (C044,
// MUST); the login can go on without it, so a warning.
inline constexpr ViolationKind kMissingPortalGroupTag{"initiator-login.missing-portal-group-tag",
                                                      "RFC 7143 §13.9", Severity::warning};
// A Status-Class 1 answer without a usable TargetAddress (RFC 7143 §11.13.5, §13.8).
inline constexpr ViolationKind kRedirectWithoutAddress{"initiator-login.redirect-without-address",
                                                       "RFC 7143 §11.13.5", Severity::fatal};
// A Status-Class above 3.
inline constexpr ViolationKind kUnknownStatusClass{"initiator-login.unknown-status-class",
                                                   "RFC 7143 §11.13.5", Severity::fatal};
// The target offered keys in its Final-Response: we can no longer answer them (RFC 7143 §6.2).
inline constexpr ViolationKind kOfferInFinalResponse{"initiator-login.offer-in-final-response",
                                                     "RFC 7143 §6.2", Severity::fatal};
// More Login Responses than kMaxLoginResponses: a login that never ends.
inline constexpr ViolationKind kTooManyResponses{"initiator-login.too-many-responses",
                                                 "RFC 7143 §6.3", Severity::fatal};
// A framing error during the login.
inline constexpr ViolationKind kFrameError{"initiator-login.frame-error", "RFC 7143 §6.3",
                                           Severity::fatal};

// The target answered with Status-Class 2 or 3: the login failed at the target.
inline constexpr ViolationKind kLoginRejected{"initiator-login.rejected", "RFC 7143 §11.13.5",
                                              Severity::fatal};
// Local failures: we gave up.
// Mutual CHAP is configured and the target picked AuthMethod None: we cannot verify it.
inline constexpr ViolationKind kTargetNotAuthenticated{"initiator-login.target-not-authenticated",
                                                       "RFC 7143 §12.1", Severity::fatal};
// The target left the security stage (T=1) before the CHAP exchange was complete.
inline constexpr ViolationKind kAuthenticationIncomplete{
    "initiator-login.authentication-incomplete", "RFC 7143 §6.3", Severity::fatal};
// Our setup cannot make a login (no InitiatorName, CHAP without an Rng, an invalid policy).
inline constexpr ViolationKind kBadSetup{"initiator-login.bad-setup", "RFC 7143 §6.3",
                                         Severity::fatal};

}  // namespace iscsi::initiator::login::violations
