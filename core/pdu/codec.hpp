#pragma once
// Encoding and decoding of whole PDUs (RFC 7143 §11): BHS, AHS chain, header digest, data
// segment, pad, data digest. Decoding never asserts on peer bytes: errors are typed
// Violations (ids in violations.hpp), and legal-but-odd input becomes warning observations
// attached to the delivered PDU.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/common/violation.hpp"
#include "core/pdu/pdu.hpp"

namespace iscsi::pdu {

// Which CRC32C digests are on the wire (RFC 7143 §13.1). Login PDUs never carry digests: the
// caller switches them on after the Login Final-Response.
struct DigestOptions {
  bool header = false;
  bool data = false;
  bool operator==(const DigestOptions&) const = default;
};

struct DecodedPdu {
  Pdu pdu;
  // Warning-level findings (pdu.nonzero-pad, pdu.reserved-field-nonzero,
  // pdu.always-one-bit-clear, pdu.unexpected-data-segment, pdu.unknown-ahs-type,
  // pdu.ahs-unexpected-length) that do not stop delivery.
  std::vector<Violation> observations;
};

// ---- Encoding ----------------------------------------------------------------------------

// The wire bytes of `pdu`: BHS + AHS + header digest + data + zero pad + data digest, with
// TotalAHSLength and DataSegmentLength computed, reserved fields zero and the layout's
// always-one bits set. Precondition: check_encodable(pdu) succeeds.
Bytes encode(const Pdu& pdu, const DigestOptions& digests = {});
// The same, appended to `out` (for building streams without a copy per PDU).
void encode_to(const Pdu& pdu, const DigestOptions& digests, Bytes& out);
// The same in pieces, for senders that keep the data segment where it is (zero-copy Data-In):
// encode_header_to appends BHS + AHS + header digest of `pdu` with DataSegmentLength set to
// `data_length` (pdu.data is not read); encode_trailer_to appends the pad and data digest that
// follow `data` on the wire. header + data + trailer equals encode_to() of the PDU carrying
// `data`. Precondition: check_encodable(pdu) succeeds and data_length <= 2^24-1.
void encode_header_to(const Pdu& pdu, std::size_t data_length, const DigestOptions& digests,
                      Bytes& out);
void encode_trailer_to(ByteView data, const DigestOptions& digests, Bytes& out);
// Fails with pdu.not-encodable when the data segment exceeds 2^24-1 bytes or the AHS chain
// exceeds 1020 bytes.
Result<void> check_encodable(const Pdu& pdu);
// Length encode() will produce.
std::size_t encoded_length(const Pdu& pdu, const DigestOptions& digests = {});

// ---- Lengths -----------------------------------------------------------------------------

// Where each part of a PDU lies, from its BHS bytes 4-7 and the digest options.
struct WireLayout {
  std::size_t total_ahs_length = 0;     // TotalAHSLength * 4
  std::size_t header_digest = 0;        // 0 or 4
  std::size_t data_segment_length = 0;  // DataSegmentLength
  std::size_t pad = 0;                  // 0..3
  std::size_t data_digest = 0;          // 0 or 4 (never with an empty data segment)

  std::size_t header_length() const { return kBhsLength + total_ahs_length; }
  std::size_t header_segment_length() const { return header_length() + header_digest; }
  std::size_t data_part_length() const { return data_segment_length + pad + data_digest; }
  std::size_t total() const { return header_segment_length() + data_part_length(); }
};

// Precondition: bhs.size() >= kBhsLength (only the BHS is read).
WireLayout wire_layout(ByteView bhs, const DigestOptions& digests);
// Length of the whole PDU that starts with `bhs`; 0 when fewer than 48 bytes are given.
std::size_t pdu_wire_length(ByteView bhs, const DigestOptions& digests);

// ---- Decoding ----------------------------------------------------------------------------

// Decodes exactly one PDU. Errors: pdu.truncated / pdu.trailing-bytes (size differs from
// the BHS lengths), pdu.header-digest-mismatch, pdu.reserved-opcode, pdu.vendor-opcode,
// pdu.ahs-length-mismatch, pdu.data-digest-mismatch.
Result<DecodedPdu> decode(ByteView whole_pdu, const DigestOptions& digests = {});

// Decodes the 48-byte BHS alone (bytes beyond 48 are ignored): the header fields and their
// observations; the AHS chain and data are not read, so Pdu::ahs and Pdu::data stay empty.
// Errors: pdu.truncated, pdu.reserved-opcode, pdu.vendor-opcode.
Result<DecodedPdu> decode_bhs(ByteView bhs);

// Building blocks of decode(), used by the Framer on buffers it has assembled.
//  - decode_header: BHS + AHS chain (exactly header_length() bytes, no digest).
Result<DecodedPdu> decode_header(ByteView bhs_and_ahs);
//    decode_header_into: the same into `decoded` (its previous contents replaced), so that the
//    Framer decodes each header where it keeps it instead of moving it there.
Result<void> decode_header_into(ByteView bhs_and_ahs, DecodedPdu& decoded);
//  - verify_header_digest: `digest` is the 4 wire bytes after BHS + AHS.
Result<void> verify_header_digest(ByteView bhs_and_ahs, ByteView digest);
//  - verify_data_digest: over data + pad as received (C189); `header` names the PDU.
Result<void> verify_data_digest(const Header& header, ByteView data_and_pad, ByteView digest);
//  - check_pad: appends pdu.nonzero-pad when a pad byte is not zero.
void check_pad(const Header& header, ByteView pad, std::vector<Violation>& observations);

}  // namespace iscsi::pdu
