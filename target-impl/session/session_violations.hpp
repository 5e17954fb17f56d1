#pragma once
// The catalogue of initiator violations the full feature phase engine reports (ids are stable:
// they appear in reports and scenario expectations). Framing findings keep core's ids
// (pdu.data-digest-mismatch, pdu.header-digest-mismatch, ...), negotiation findings in Text
// exchanges keep the negotiator's and the text codec's. Severity says what the engine does:
// recoverable ones are answered (Reject, CHECK CONDITION, or silence where the RFC asks for it)
// and the session goes on; fatal ones close the connection.
#include "core/common/violation.hpp"

namespace iscsi::target::session::violations {

// ---- Command numbering (RFC 7143 §4.2.2.1) ------------------------------------------------
// A non-immediate command outside [ExpCmdSN, MaxCmdSN]: ignored without a response (C116).
inline constexpr ViolationKind kCmdSnOutOfWindow{"session.cmdsn-out-of-window",
                                                 "RFC 7143 §4.2.2.1", Severity::recoverable};
// A second command with a CmdSN already received or queued: ignored (C117).
inline constexpr ViolationKind kCmdSnDuplicate{"session.cmdsn-duplicate", "RFC 7143 §4.2.2.1",
                                               Severity::recoverable};
// An immediate command while every task slot is taken: Reject 0x06 (C130).
inline constexpr ViolationKind kTooManyImmediate{"session.too-many-immediate-commands",
                                                 "RFC 7143 §11.17.1", Severity::recoverable};
// ExpStatSN acknowledges a StatSN the target has not sent, or moves backwards (C123).
inline constexpr ViolationKind kExpStatSnAhead{"session.exp-stat-sn-ahead", "RFC 7143 §4.2.2.2",
                                               Severity::warning};
inline constexpr ViolationKind kExpStatSnBackwards{"session.exp-stat-sn-backwards",
                                                   "RFC 7143 §4.2.2.2", Severity::warning};

// ---- PDU fields and opcodes ------------------------------------------------------------------
// A target opcode (C008) or a Login Request in full feature phase: Reject 0x04.
inline constexpr ViolationKind kUnexpectedOpcode{"session.unexpected-opcode",
                                                 "RFC 7143 §11.2.1.2", Severity::recoverable};
// A SCSI Command, TMF, Data-Out or SNACK in a Discovery session: Reject 0x05 (C111).
inline constexpr ViolationKind kNotInDiscovery{"session.not-allowed-in-discovery",
                                               "RFC 7143 §4.3", Severity::recoverable};
// ITT 0xffffffff on a task (Reject 0x09), or an ITT already in use (Reject 0x07, C125).
inline constexpr ViolationKind kReservedItt{"session.reserved-itt", "RFC 7143 §11.2.1.7",
                                            Severity::recoverable};
inline constexpr ViolationKind kIttInUse{"session.itt-in-use", "RFC 7143 §11.2.1.7",
                                         Severity::recoverable};
// ATTR 5-7 in a SCSI Command: Reject 0x09 (C131).
inline constexpr ViolationKind kReservedTaskAttribute{"session.reserved-task-attribute",
                                                      "RFC 7143 §11.3.1", Severity::recoverable};
// R=W=0 with a non-zero Expected Data Transfer Length (RFC 7143 §11.3.1: EDTL must be 0).
inline constexpr ViolationKind kLengthWithoutDirection{"session.edtl-without-direction",
                                                       "RFC 7143 §11.3.4", Severity::warning};
// W and R set without a Bidirectional Read Expected Data Transfer Length AHS.
inline constexpr ViolationKind kMissingBidiLength{"session.missing-bidi-read-length",
                                                  "RFC 7143 §11.2.2.4", Severity::recoverable};
// SNACK in an ErrorRecoveryLevel 0 session: Reject 0x04 (C174).
inline constexpr ViolationKind kSnackAtErl0{"session.snack-at-erl0", "RFC 7143 §11.16",
                                            Severity::recoverable};

// ---- Write data (RFC 7143 §4.2.5, §11.7, §11.8, §13.10-§13.14) -----------------------------
// Immediate data with ImmediateData=No, or unsolicited Data-Out with InitialR2T=Yes or after
// a SCSI Command with F=1, or unsolicited data beyond FirstBurstLength or EDTL: CHECK
// CONDITION, ABORTED COMMAND, 0x0C/0x0C (C143).
inline constexpr ViolationKind kUnexpectedUnsolicited{"session.unexpected-unsolicited-data",
                                                      "RFC 7143 §13.14", Severity::recoverable};
// The unsolicited sequence (or a solicited one) ended with F=1 before its length: 0x0C/0x0D
// (C147).
inline constexpr ViolationKind kIncorrectDataAmount{"session.incorrect-data-amount",
                                                    "RFC 7143 §4.2.5.2", Severity::recoverable};
// Data-Out for an ITT with no write task in progress: Reject 0x09 (C177).
inline constexpr ViolationKind kDataOutUnknownTask{"session.data-out-unknown-task",
                                                   "RFC 7143 §11.7.4", Severity::recoverable};
// Data-Out with a TTT no outstanding R2T of the task carries: Reject 0x09 (C144).
inline constexpr ViolationKind kDataOutUnknownTtt{"session.data-out-unknown-ttt",
                                                  "RFC 7143 §11.7.4", Severity::recoverable};
// DataSN not the next of its sequence (C145), or a Buffer Offset out of order or outside the
// R2T window (C146): Reject 0x09, and the task ends with CHECK CONDITION.
inline constexpr ViolationKind kDataOutDataSn{"session.data-out-data-sn", "RFC 7143 §11.7.5",
                                              Severity::recoverable};
inline constexpr ViolationKind kDataOutBufferOffset{"session.data-out-buffer-offset",
                                                    "RFC 7143 §11.7.6", Severity::recoverable};
// The last Data-Out of a sequence without F=1 (the sequence is taken as complete).
inline constexpr ViolationKind kDataOutMissingFinal{"session.data-out-missing-final",
                                                    "RFC 7143 §11.7.1", Severity::warning};
// A Data-Out answering an R2T with another LUN than the R2T's (RFC 7143 §11.7.4).
inline constexpr ViolationKind kDataOutLun{"session.data-out-lun-mismatch", "RFC 7143 §11.7.4",
                                           Severity::warning};
// Data on a SCSI Command without the W bit (the data is discarded).
inline constexpr ViolationKind kDataWithoutWrite{"session.data-without-write-bit",
                                                 "RFC 7143 §11.3.1", Severity::recoverable};

// ---- NOP, Text, Logout ---------------------------------------------------------------------------
// NOP-Out with ITT 0xffffffff and I=0 (C128): Reject 0x04.
inline constexpr ViolationKind kNopNotImmediate{"session.nop-out-reserved-itt-not-immediate",
                                                "RFC 7143 §11.18", Severity::recoverable};
// NOP-Out with a TTT the target never sent in a NOP-In: Reject 0x09.
inline constexpr ViolationKind kNopUnknownTtt{"session.nop-out-unknown-ttt", "RFC 7143 §11.18",
                                              Severity::recoverable};
// Our NOP-In ping stayed unanswered for NopSettings::timeout: the connection is closed.
inline constexpr ViolationKind kNopTimeout{"session.nop-in-timeout", "RFC 7143 §11.19",
                                           Severity::fatal};
// Text Request with both F and C set, or with a TTT the target never issued (C175): Reject 0x09.
inline constexpr ViolationKind kTextFinalAndContinue{"session.text-final-and-continue",
                                                     "RFC 7143 §11.10.2", Severity::recoverable};
inline constexpr ViolationKind kTextUnknownTtt{"session.text-unknown-ttt", "RFC 7143 §11.10.4",
                                               Severity::recoverable};
// A Text exchange whose text or negotiation failed: Reject 0x09, the parameters are unchanged.
inline constexpr ViolationKind kTextNegotiationFailed{"session.text-negotiation-failed",
                                                      "RFC 7143 §6.2", Severity::recoverable};
// Logout Request with a reserved reason code: Reject 0x09.
inline constexpr ViolationKind kLogoutReason{"session.logout-reserved-reason", "RFC 7143 §11.14.1",
                                             Severity::recoverable};
// A command after the Logout Request (RFC 7143 §11.14: none may follow on that connection).
inline constexpr ViolationKind kCommandAfterLogout{"session.command-after-logout",
                                                   "RFC 7143 §11.14", Severity::recoverable};
// No Logout Request within Parameter3 seconds of Async event 1: the connection is closed.
inline constexpr ViolationKind kLogoutTimeout{"session.logout-request-ignored",
                                              "RFC 7143 §11.9.1", Severity::fatal};

// ---- Task management (RFC 7143 §11.5) ------------------------------------------------------
// A function code RFC 7143/7144 does not define: answered 255 "Function rejected" (C157).
inline constexpr ViolationKind kTmfUndefinedFunction{"session.tmf-undefined-function",
                                                     "RFC 7143 §11.5.1", Severity::recoverable};
// A function other than ABORT TASK with a Referenced Task Tag other than 0xffffffff (C161).
inline constexpr ViolationKind kTmfReferencedTag{"session.tmf-referenced-tag-not-reserved",
                                                 "RFC 7143 §11.5.2", Severity::warning};

}  // namespace iscsi::target::session::violations
