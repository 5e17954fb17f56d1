#pragma once
// The catalogue of PDU-level findings. Ids are stable: they appear in reports and scenario
// expectations. Errors stop delivery of the PDU (Result failure / Framer error); warnings are
// observations attached to a PDU that is still delivered.
#include "core/common/violation.hpp"

namespace iscsi::pdu::violations {

// --- Errors -------------------------------------------------------------------------------
// Opcode 0x07-0x0f, 0x11-0x1b, 0x1f, 0x27-0x30, 0x33-0x3b: undefined. The BHS lengths are still
// valid, so the stream stays framed; the receiver answers with Reject 0x04 or 0x05 (C007).
inline constexpr ViolationKind kReservedOpcode{"pdu.reserved-opcode", "RFC 7143 §11.2.1.2",
                                               Severity::recoverable};
// Opcode 0x1c-0x1e or 0x3c-0x3e: vendor-specific; we implement none (Reject 0x05, C009).
inline constexpr ViolationKind kVendorOpcode{"pdu.vendor-opcode", "RFC 7143 §11.2.1.2",
                                             Severity::recoverable};
// Fewer bytes than the BHS lengths (and digests) require.
inline constexpr ViolationKind kTruncated{"pdu.truncated", "RFC 7143 §11.2", Severity::fatal};
// More bytes than one PDU (whole-PDU decode only).
inline constexpr ViolationKind kTrailingBytes{"pdu.trailing-bytes", "RFC 7143 §11.2",
                                              Severity::fatal};
// The AHS chain does not add up to TotalAHSLength (C019).
inline constexpr ViolationKind kAhsLengthMismatch{"pdu.ahs-length-mismatch", "RFC 7143 §11.2.2",
                                                  Severity::recoverable};
// RFC 7143 §7.8: the header cannot be trusted, so neither can the stream framing after it.
inline constexpr ViolationKind kHeaderDigestMismatch{"pdu.header-digest-mismatch", "RFC 7143 §13.1",
                                                     Severity::fatal};
// RFC 7143 §7.8: the PDU is discarded and answered with Reject 0x02; the stream goes on.
inline constexpr ViolationKind kDataDigestMismatch{"pdu.data-digest-mismatch", "RFC 7143 §13.1",
                                                   Severity::recoverable};
// DataSegmentLength above the MaxRecvDataSegmentLength we declared (C014); the framer skips
// the segment without buffering it.
inline constexpr ViolationKind kDataSegmentTooLong{"pdu.data-segment-too-long", "RFC 7143 §13.12",
                                                   Severity::recoverable};
// Our own PDU cannot be encoded: data segment over 2^24-1 bytes or AHS over 1020 bytes.
inline constexpr ViolationKind kNotEncodable{"pdu.not-encodable", "RFC 7143 §11.2.1",
                                             Severity::fatal};

// --- Warnings (observations) --------------------------------------------------------------
// RFC 7143 §13.1: pad bytes SHOULD be 0; they are covered by the data digest as received.
inline constexpr ViolationKind kNonZeroPad{"pdu.nonzero-pad", "RFC 7143 §13.1", Severity::warning};
// RFC 7143 §11.2: senders MUST set reserved fields to 0, receivers ignore them (C012).
inline constexpr ViolationKind kReservedFieldNonZero{"pdu.reserved-field-nonzero", "RFC 7143 §11.2",
                                                     Severity::warning};
// Opcode-specific bits the layout fixes to 1 (byte 1 bit 0x80 of NOP, TMF, Logout, SNACK, R2T,
// Async, Reject ...; byte 0 bit 0x40 of a Login Request) are 0 (C011, C020).
inline constexpr ViolationKind kAlwaysOneBitClear{"pdu.always-one-bit-clear", "RFC 7143 §11.2",
                                                  Severity::warning};
// A data segment on a PDU whose layout has none: TMF, Logout, R2T, SNACK (C015).
inline constexpr ViolationKind kUnexpectedDataSegment{"pdu.unexpected-data-segment",
                                                      "RFC 7143 §11.2.1", Severity::warning};
// An AHS type other than 1 and 2; kept verbatim (C006).
inline constexpr ViolationKind kUnknownAhsType{"pdu.unknown-ahs-type", "RFC 7143 §11.2.2",
                                               Severity::warning};
// A type 1 AHS with AHSLength 0, or a type 2 AHS with AHSLength other than 5; kept verbatim.
inline constexpr ViolationKind kAhsUnexpectedLength{"pdu.ahs-unexpected-length", "RFC 7143 §11.2.2",
                                                    Severity::warning};

}  // namespace iscsi::pdu::violations
