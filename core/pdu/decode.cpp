// PDU decoding (RFC 7143 §11.2, §13.1). Peer bytes never trigger an assertion: every failure
// is a Violation with a stable id, and legal-but-odd input is reported as an observation.
#include <fmt/format.h>

#include "core/crc32c/crc32c.hpp"
#include "core/pdu/ahs_codec.hpp"
#include "core/pdu/bhs_fields.hpp"
#include "core/pdu/bhs_rules.hpp"
#include "core/pdu/codec.hpp"
#include "core/pdu/violations.hpp"

namespace iscsi::pdu {
namespace {

// Classifies BHS byte 0; fails for reserved and vendor-specific opcodes, which we cannot
// decode but whose lengths still frame the stream.
Result<Opcode> classify(const std::uint8_t* bhs) {
  const ClassifiedOpcode classified = opcode_from_byte(bhs[0]);
  switch (classified.kind) {
    case OpcodeKind::standard:
      return classified.opcode();
    case OpcodeKind::vendor_initiator:
    case OpcodeKind::vendor_target:
      return Violation{violations::kVendorOpcode,
                       fmt::format("BHS byte 0 = 0x{:02x}: opcode 0x{:02x} is {}", bhs[0],
                                   classified.code, to_string(classified.kind))};
    case OpcodeKind::reserved:
      break;
  }
  return Violation{violations::kReservedOpcode,
                   fmt::format("BHS byte 0 = 0x{:02x}: opcode 0x{:02x} is not defined", bhs[0],
                               classified.code)};
}

// Header fields and the BHS-level observations (reserved/always-one bits, data segment on a
// PDU type that has none), into `decoded`, whose previous contents go.
Result<void> decode_fields(const std::uint8_t* bhs, DecodedPdu& decoded) {
  Result<Opcode> op = classify(bhs);
  if (!op) return std::move(op).error();
  decoded.pdu.ahs.clear();
  decoded.pdu.data.clear();
  decoded.observations.clear();
  detail::read_fields_into(*op, bhs, decoded.pdu.header);
  detail::check_bhs_rules(*op, bhs, decoded.observations);
  const std::uint32_t data_length = load_be24(bhs + 5);
  if (data_length != 0 && !detail::rules_for(*op).carries_data) {
    decoded.observations.push_back(
        {violations::kUnexpectedDataSegment,
         fmt::format("{} ITT=0x{:08x}: DataSegmentLength is {}, the layout has no data segment",
                     to_string(*op), itt(decoded.pdu.header), data_length)});
  }
  return success();
}

std::string layout_text(const WireLayout& layout) {
  return fmt::format("BHS 48 + AHS {} + header digest {} + data {} + pad {} + data digest {}",
                     layout.total_ahs_length, layout.header_digest, layout.data_segment_length,
                     layout.pad, layout.data_digest);
}

// The size check of decode(): exactly one PDU.
Result<WireLayout> whole_layout(ByteView whole_pdu, const DigestOptions& digests) {
  if (whole_pdu.size() < kBhsLength) {
    return Violation{violations::kTruncated,
                     fmt::format("{} bytes given, a BHS needs {}", whole_pdu.size(), kBhsLength)};
  }
  const WireLayout layout = wire_layout(whole_pdu, digests);
  if (whole_pdu.size() < layout.total()) {
    return Violation{violations::kTruncated,
                     fmt::format("BHS opcode 0x{:02x}: PDU needs {} bytes ({}), {} given",
                                 whole_pdu[0] & kOpcodeMask, layout.total(), layout_text(layout),
                                 whole_pdu.size())};
  }
  if (whole_pdu.size() > layout.total()) {
    return Violation{violations::kTrailingBytes,
                     fmt::format("BHS opcode 0x{:02x}: PDU is {} bytes ({}), {} given",
                                 whole_pdu[0] & kOpcodeMask, layout.total(), layout_text(layout),
                                 whole_pdu.size())};
  }
  return layout;
}

}  // namespace

WireLayout wire_layout(ByteView bhs, const DigestOptions& digests) {
  WireLayout layout;
  layout.total_ahs_length = std::size_t{bhs[4]} * 4;
  layout.header_digest = digests.header ? kDigestLength : 0;
  layout.data_segment_length = load_be24(bhs.data() + 5);
  layout.pad = pad_length(layout.data_segment_length);
  // RFC 7143 §13.1: no data digest when there is no data segment.
  layout.data_digest = digests.data && layout.data_segment_length > 0 ? kDigestLength : 0;
  return layout;
}

std::size_t pdu_wire_length(ByteView bhs, const DigestOptions& digests) {
  if (bhs.size() < kBhsLength) return 0;
  return wire_layout(bhs, digests).total();
}

Result<DecodedPdu> decode_bhs(ByteView bhs) {
  if (bhs.size() < kBhsLength) {
    return Violation{violations::kTruncated,
                     fmt::format("{} bytes given, a BHS needs {}", bhs.size(), kBhsLength)};
  }
  DecodedPdu decoded;
  if (Result<void> ok = decode_fields(bhs.data(), decoded); !ok) return ok.error();
  return decoded;
}

Result<void> decode_header_into(ByteView bhs_and_ahs, DecodedPdu& decoded) {
  if (bhs_and_ahs.size() < kBhsLength ||
      bhs_and_ahs.size() != kBhsLength + std::size_t{bhs_and_ahs[4]} * 4) {
    return Violation{
        violations::kTruncated,
        fmt::format("header of {} bytes does not match its TotalAHSLength", bhs_and_ahs.size())};
  }
  if (Result<void> ok = decode_fields(bhs_and_ahs.data(), decoded); !ok) return ok;
  if (bhs_and_ahs.size() == kBhsLength) return success();
  Result<std::vector<Ahs>> chain = detail::decode_ahs_chain(
      bhs_and_ahs.subspan(kBhsLength), to_string(opcode(decoded.pdu)), decoded.observations);
  if (!chain) return std::move(chain).error();
  decoded.pdu.ahs = std::move(*chain);
  return success();
}

Result<DecodedPdu> decode_header(ByteView bhs_and_ahs) {
  DecodedPdu decoded;
  if (Result<void> ok = decode_header_into(bhs_and_ahs, decoded); !ok) return ok.error();
  return decoded;
}

Result<void> verify_header_digest(ByteView bhs_and_ahs, ByteView digest) {
  const std::uint32_t computed = crc32c::compute(bhs_and_ahs);
  const std::uint32_t received = crc32c::load_digest(digest.data());
  if (computed == received) return success();
  return Violation{
      violations::kHeaderDigestMismatch,
      fmt::format("BHS opcode 0x{:02x}: header digest 0x{:08x} received, 0x{:08x} "
                  "computed over {} header bytes",
                  bhs_and_ahs[0] & kOpcodeMask, received, computed, bhs_and_ahs.size())};
}

Result<void> verify_data_digest(const Header& header, ByteView data_and_pad, ByteView digest) {
  const std::uint32_t computed = crc32c::compute(data_and_pad);
  const std::uint32_t received = crc32c::load_digest(digest.data());
  if (computed == received) return success();
  return Violation{
      violations::kDataDigestMismatch,
      fmt::format("{} ITT=0x{:08x}: data digest 0x{:08x} received, 0x{:08x} "
                  "computed over {} data and pad bytes",
                  to_string(opcode(header)), itt(header), received, computed, data_and_pad.size())};
}

void check_pad(const Header& header, ByteView pad, std::vector<Violation>& observations) {
  for (std::size_t i = 0; i < pad.size(); ++i) {
    if (pad[i] == 0) continue;
    observations.push_back(
        {violations::kNonZeroPad,
         fmt::format("{} ITT=0x{:08x}: pad byte {} of {} is 0x{:02x}", to_string(opcode(header)),
                     itt(header), i + 1, pad.size(), pad[i])});
    return;
  }
}

Result<DecodedPdu> decode(ByteView whole_pdu, const DigestOptions& digests) {
  Result<WireLayout> checked = whole_layout(whole_pdu, digests);
  if (!checked) return std::move(checked).error();
  const WireLayout& layout = *checked;
  const ByteView header = whole_pdu.first(layout.header_length());
  if (digests.header) {
    Result<void> ok = verify_header_digest(header, whole_pdu.subspan(header.size(), kDigestLength));
    if (!ok) return ok.error();
  }
  Result<DecodedPdu> decoded = decode_header(header);
  if (!decoded) return decoded;
  const ByteView data_part = whole_pdu.subspan(layout.header_segment_length());
  const ByteView data = data_part.first(layout.data_segment_length);
  const ByteView data_and_pad = data_part.first(layout.data_segment_length + layout.pad);
  if (layout.data_digest != 0) {
    Result<void> ok = verify_data_digest(decoded->pdu.header, data_and_pad,
                                         data_part.subspan(data_and_pad.size(), kDigestLength));
    if (!ok) return ok.error();
  }
  check_pad(decoded->pdu.header, data_and_pad.subspan(data.size()), decoded->observations);
  decoded->pdu.data.assign(data.begin(), data.end());
  return decoded;
}

}  // namespace iscsi::pdu
