// PDU encoding (RFC 7143 §11.2): the encoder computes every length, zeroes reserved fields,
// sets the layout's always-one bits, pads segments with zeros and appends CRC32C digests.
#include <cassert>

#include <fmt/format.h>

#include "core/crc32c/crc32c.hpp"
#include "core/pdu/ahs_codec.hpp"
#include "core/pdu/bhs_fields.hpp"
#include "core/pdu/bhs_rules.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/violations.hpp"

namespace iscsi::pdu {
namespace {

std::size_t total_ahs_length(const Pdu& pdu) {
  std::size_t total = 0;
  for (const Ahs& ahs : pdu.ahs) total += ahs_wire_length(ahs);
  return total;
}

void append_digest(Bytes& out, std::uint32_t crc) {
  std::uint8_t digest[kDigestLength];
  crc32c::store_digest(digest, crc);
  out.insert(out.end(), digest, digest + kDigestLength);
}

}  // namespace

Result<void> check_encodable(const Pdu& pdu) {
  if (pdu.data.size() > kMaxDataSegmentLength) {
    return Violation{violations::kNotEncodable,
                     fmt::format("{}: data segment of {} bytes exceeds the 24-bit "
                                 "DataSegmentLength",
                                 to_string(opcode(pdu)), pdu.data.size())};
  }
  const std::size_t ahs = total_ahs_length(pdu);
  if (ahs > kMaxTotalAhsLength) {
    return Violation{violations::kNotEncodable,
                     fmt::format("{}: AHS chain of {} bytes exceeds TotalAHSLength's {} bytes",
                                 to_string(opcode(pdu)), ahs, kMaxTotalAhsLength)};
  }
  return success();
}

std::size_t encoded_length(const Pdu& pdu, const DigestOptions& digests) {
  const std::size_t data = pdu.data.size();
  return kBhsLength + total_ahs_length(pdu) + (digests.header ? kDigestLength : 0) +
         padded_length(data) + (digests.data && data > 0 ? kDigestLength : 0);
}

void encode_header_to(const Pdu& pdu, std::size_t data_length, const DigestOptions& digests,
                      Bytes& out) {
  assert(check_encodable(pdu).ok() && data_length <= kMaxDataSegmentLength);
  const std::size_t start = out.size();
  out.resize(start + kBhsLength, 0);
  {
    std::uint8_t* bhs = out.data() + start;
    const Opcode op = opcode(pdu);
    detail::write_fields(pdu.header, bhs);
    bhs[0] = static_cast<std::uint8_t>(bhs[0] | static_cast<std::uint8_t>(op));
    detail::apply_bhs_rules(op, bhs);
    bhs[4] = static_cast<std::uint8_t>(total_ahs_length(pdu) / 4);
    store_be24(bhs + 5, static_cast<std::uint32_t>(data_length));
  }
  for (const Ahs& ahs : pdu.ahs) detail::encode_ahs(ahs, out);
  if (digests.header) {
    append_digest(out, crc32c::compute(ByteView(out).subspan(start)));
  }
}

void encode_trailer_to(ByteView data, const DigestOptions& digests, Bytes& out) {
  if (data.empty()) return;
  static constexpr std::uint8_t kZeros[3] = {0, 0, 0};
  const ByteView pad(kZeros, padded_length(data.size()) - data.size());
  out.insert(out.end(), pad.begin(), pad.end());
  // RFC 7143 §13.1: the data digest covers the data segment and its pad.
  if (digests.data) append_digest(out, crc32c::extend(crc32c::compute(data), pad));
}

void encode_to(const Pdu& pdu, const DigestOptions& digests, Bytes& out) {
  out.reserve(out.size() + encoded_length(pdu, digests));
  encode_header_to(pdu, pdu.data.size(), digests, out);
  out.insert(out.end(), pdu.data.begin(), pdu.data.end());
  encode_trailer_to(pdu.data, digests, out);
}

Bytes encode(const Pdu& pdu, const DigestOptions& digests) {
  Bytes out;
  encode_to(pdu, digests, out);
  return out;
}

}  // namespace iscsi::pdu
