#pragma once
// The catalogue of target violations the initiator's full feature phase engine reports (ids
// are stable: they appear in reports and scenario expectations). Framing findings keep core's
// ids (pdu.*) and text findings the text codec's (text.*). Severity says what the engine does:
// warnings are reported and the PDU is used as far as it makes sense; recoverable ones fail the
// task concerned (or drop the PDU) and the session goes on; fatal ones close the connection,
// which at ErrorRecoveryLevel 0 is the only recovery there is (RFC 7143 §7.1.5, §7.2).
#include "core/common/violation.hpp"

namespace iscsi::initiator::session::violations {

// ---- Numbering (RFC 7143 §4.2.2) -------------------------------------------------------------
// A status-carrying PDU whose StatSN is not ExpStatSN (lost or repeated status, C122).
inline constexpr ViolationKind kStatSnMismatch{"initiator-session.stat-sn-mismatch",
                                               "RFC 7143 §4.2.2.2", Severity::warning};
// An R2T, a Data-In without status or a target NOP-In ping whose StatSN is not the next one.
inline constexpr ViolationKind kStatSnNotNext{"initiator-session.stat-sn-not-next",
                                              "RFC 7143 §4.2.2.2", Severity::warning};
// MaxCmdSN < ExpCmdSN - 1 (serially): the pair is ignored (RFC 7143 §4.2.2.1).
inline constexpr ViolationKind kWindowInvalid{"initiator-session.max-cmd-sn-below-exp-cmd-sn",
                                              "RFC 7143 §4.2.2.1", Severity::warning};
// ExpCmdSN or MaxCmdSN smaller than a value the target already sent (C120).
inline constexpr ViolationKind kExpCmdSnBackwards{"initiator-session.exp-cmd-sn-backwards",
                                                  "RFC 7143 §4.2.2.1", Severity::warning};
inline constexpr ViolationKind kMaxCmdSnBackwards{"initiator-session.max-cmd-sn-backwards",
                                                  "RFC 7143 §4.2.2.1", Severity::warning};
// ExpCmdSN acknowledging a CmdSN the initiator has not sent.
inline constexpr ViolationKind kExpCmdSnAhead{"initiator-session.exp-cmd-sn-ahead",
                                              "RFC 7143 §4.2.2.1", Severity::warning};

// ---- Tags and opcodes ----------------------------------------------------------------------
// A response, Data-In or R2T whose ITT names no request of ours in progress: dropped.
inline constexpr ViolationKind kUnknownItt{"initiator-session.unknown-itt", "RFC 7143 §11.2.1.7",
                                           Severity::recoverable};
// An initiator opcode or a Login Response in full feature phase.
inline constexpr ViolationKind kUnexpectedOpcode{"initiator-session.unexpected-opcode",
                                                 "RFC 7143 §11.2.1.2", Severity::fatal};
// A NOP-In answering our ping with a TTT other than 0xffffffff, or a ping reply with other data.
inline constexpr ViolationKind kNopReplyTtt{"initiator-session.nop-in-reply-ttt",
                                            "RFC 7143 §11.19.2", Severity::warning};
inline constexpr ViolationKind kNopReplyData{"initiator-session.nop-in-reply-data",
                                             "RFC 7143 §11.19", Severity::warning};
// Our NOP-Out ping stayed unanswered for NopSettings::timeout.
inline constexpr ViolationKind kNopTimeout{"initiator-session.nop-out-timeout", "RFC 7143 §11.18",
                                           Severity::fatal};

// ---- Data-In (RFC 7143 §4.2.2.3, §11.7) -----------------------------------------------------
// Data-In for a task that expects none (a write or a command without data).
inline constexpr ViolationKind kDataInUnexpected{"initiator-session.data-in-unexpected",
                                                 "RFC 7143 §11.7", Severity::recoverable};
// DataSN not the next one of the task (duplicate, skipped or reversed, C133).
inline constexpr ViolationKind kDataInDataSn{"initiator-session.data-in-data-sn",
                                             "RFC 7143 §11.7.5", Severity::recoverable};
// A Buffer Offset leaving a gap or overlapping data already received (DataPDUInOrder, C133).
inline constexpr ViolationKind kDataInBufferOffset{"initiator-session.data-in-buffer-offset",
                                                   "RFC 7143 §11.7.6", Severity::recoverable};
// Data past the Expected Data Transfer Length (C138: only EDTL bytes may be sent).
inline constexpr ViolationKind kDataInOverrun{"initiator-session.data-in-past-expected-length",
                                              "RFC 7143 §11.7.6", Severity::recoverable};
// A Data-In sequence (between F bits) longer than MaxBurstLength (C134).
inline constexpr ViolationKind kDataInBurst{"initiator-session.data-in-burst-too-long",
                                            "RFC 7143 §13.13", Severity::warning};
// S=1 without F=1 (C135), or status with an exception (sense) in a Data-In.
inline constexpr ViolationKind kDataInStatusNotFinal{"initiator-session.data-in-status-not-final",
                                                     "RFC 7143 §11.7.1", Severity::recoverable};
inline constexpr ViolationKind kDataInStatusException{"initiator-session.data-in-status-exception",
                                                      "RFC 7143 §11.7.3", Severity::warning};
// The A bit (DataACK) at ErrorRecoveryLevel 0 (C148).
inline constexpr ViolationKind kDataInAckAtErl0{"initiator-session.data-in-ack-at-erl0",
                                                "RFC 7143 §11.7.2", Severity::warning};

// ---- SCSI Response and residuals (RFC 7143 §11.4) ------------------------------------------
// U/O and Residual Count that do not match what arrived (C137, C138), or both set.
inline constexpr ViolationKind kResidualMismatch{"initiator-session.residual-mismatch",
                                                 "RFC 7143 §11.4.5", Severity::warning};
// Fewer Data-In bytes than expected on GOOD status without the U bit.
inline constexpr ViolationKind kResidualMissing{"initiator-session.residual-missing-underflow",
                                                "RFC 7143 §11.4.5", Severity::warning};
// ExpDataSN not the number of Data-In (reads) or R2T (writes) PDUs the task received (C150).
inline constexpr ViolationKind kExpDataSn{"initiator-session.exp-data-sn-mismatch",
                                          "RFC 7143 §11.4.8", Severity::warning};
// SenseLength larger than the data segment, or CHECK CONDITION without sense data (C136).
inline constexpr ViolationKind kSenseLength{"initiator-session.sense-length", "RFC 7143 §11.4.7.2",
                                            Severity::warning};
inline constexpr ViolationKind kMissingSense{"initiator-session.check-condition-without-sense",
                                             "RFC 7143 §11.4.7", Severity::warning};
// Bidirectional residual bits on a command that is not bidirectional.
inline constexpr ViolationKind kBidiResidual{"initiator-session.bidi-residual-not-bidi",
                                             "RFC 7143 §11.4.1", Severity::warning};

// ---- R2T (RFC 7143 §11.8): the transfer cannot go on, so each one is fatal at ERL 0 --------
inline constexpr ViolationKind kR2tNotWrite{"initiator-session.r2t-for-non-write", "RFC 7143 §11.8",
                                            Severity::fatal};
inline constexpr ViolationKind kR2tReservedTtt{"initiator-session.r2t-reserved-ttt",
                                               "RFC 7143 §11.8.2", Severity::fatal};
inline constexpr ViolationKind kR2tSn{"initiator-session.r2t-sn", "RFC 7143 §11.8.5",
                                      Severity::fatal};
// Desired Data Transfer Length 0 or above MaxBurstLength (C139).
inline constexpr ViolationKind kR2tLength{"initiator-session.r2t-length", "RFC 7143 §11.8.4",
                                          Severity::fatal};
// Offset and length outside the expected transfer, or soliciting data already sent or
// solicited, or out of order with DataSequenceInOrder=Yes.
inline constexpr ViolationKind kR2tRange{"initiator-session.r2t-buffer-offset", "RFC 7143 §11.8.3",
                                         Severity::fatal};
// More R2Ts than MaxOutstandingR2T while our answers to earlier ones were not even written.
inline constexpr ViolationKind kR2tOutstanding{"initiator-session.r2t-too-many-outstanding",
                                               "RFC 7143 §13.17", Severity::warning};

// ---- Task management, Text, Logout, Async, Reject ------------------------------------------
// A TMF Response code RFC 7143 §11.6.1 does not define.
inline constexpr ViolationKind kTmfResponseCode{"initiator-session.tmf-response-undefined",
                                                "RFC 7143 §11.6.1", Severity::warning};
// Text Response with F and C both set, with more to come but no TTT, or a final one that
// keeps a TTT (RFC 7143 §11.11).
inline constexpr ViolationKind kTextFlags{"initiator-session.text-response-flags",
                                          "RFC 7143 §11.11.1", Severity::recoverable};
inline constexpr ViolationKind kTextTtt{"initiator-session.text-response-ttt", "RFC 7143 §11.11.4",
                                        Severity::recoverable};
// The text of the exchange did not parse or grew past SessionLimits::max_text_bytes.
inline constexpr ViolationKind kTextInvalid{"initiator-session.text-response-invalid",
                                            "RFC 7143 §6.1", Severity::recoverable};
// A Logout Response code RFC 7143 §11.15.1 does not define, or Time2Wait/Time2Retain > 3600.
inline constexpr ViolationKind kLogoutResponse{"initiator-session.logout-response-invalid",
                                               "RFC 7143 §11.15", Severity::warning};
// No Logout Response within SessionLimits::logout_timeout.
inline constexpr ViolationKind kLogoutTimeout{"initiator-session.logout-response-timeout",
                                              "RFC 7143 §11.15", Severity::fatal};
// An Async Message with an ITT other than 0xffffffff or a reserved AsyncEvent.
inline constexpr ViolationKind kAsyncInvalid{"initiator-session.async-message-invalid",
                                             "RFC 7143 §11.9.1", Severity::warning};
// A Reject without the 48-byte BHS of the rejected PDU (C170), or with reason 0x0b (C173).
inline constexpr ViolationKind kRejectBhs{"initiator-session.reject-without-bhs", "RFC 7143 §11.17",
                                          Severity::warning};
inline constexpr ViolationKind kRejectReason{"initiator-session.reject-deprecated-reason",
                                             "RFC 7143 §11.17.1", Severity::warning};

}  // namespace iscsi::initiator::session::violations
