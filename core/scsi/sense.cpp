// Sense data builders and parser (SPC-4 §4.5).
#include "core/scsi/sense.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/scsi/scsi_violations.hpp"

namespace iscsi::scsi {
namespace {

constexpr std::uint8_t kResponseFixedCurrent = 0x70;
constexpr std::uint8_t kResponseFixedDeferred = 0x71;
constexpr std::uint8_t kResponseDescriptorCurrent = 0x72;
constexpr std::uint8_t kResponseDescriptorDeferred = 0x73;
constexpr std::uint8_t kDescriptorInformation = 0x00;
constexpr std::uint8_t kDescriptorSenseKeySpecific = 0x02;
constexpr std::uint8_t kSksv = 0x80;
constexpr std::uint8_t kCd = 0x40;
constexpr std::uint8_t kBpv = 0x08;
// Descriptor parsing stops after this many descriptors (252 bytes allow at most 61 anyway).
constexpr std::size_t kMaxDescriptors = 64;

// SPC-4 §4.5.2.4: the three sense-key-specific bytes.
void store_key_specific(const SenseData& sense, std::uint8_t* out) {
  if (sense.field) {
    const FieldPointer& field = *sense.field;
    out[0] = static_cast<std::uint8_t>(kSksv | (field.in_cdb ? kCd : 0) |
                                       (field.bit ? (kBpv | (*field.bit & 0x07)) : 0));
    store_be16(out + 1, field.byte);
  } else if (sense.progress) {
    out[0] = kSksv;
    store_be16(out + 1, *sense.progress);
  }
}

bool has_key_specific(const SenseData& sense) {
  return sense.field.has_value() || sense.progress.has_value();
}

// The inverse of store_key_specific, by the sense key (SPC-4 §4.5.2.4.1, table 41).
void load_key_specific(const std::uint8_t* in, SenseData& sense) {
  if ((in[0] & kSksv) == 0) return;
  if (sense.key == SenseKey::illegal_request) {
    FieldPointer field;
    field.in_cdb = (in[0] & kCd) != 0;
    if ((in[0] & kBpv) != 0) field.bit = static_cast<std::uint8_t>(in[0] & 0x07);
    field.byte = load_be16(in + 1);
    sense.field = field;
  } else if (sense.key == SenseKey::not_ready || sense.key == SenseKey::no_sense) {
    sense.progress = load_be16(in + 1);
  }
}

void parse_descriptor(ByteView descriptor, SenseData& sense) {
  const std::uint8_t type = descriptor[0];
  if (type == kDescriptorInformation && descriptor.size() >= 12) {
    if ((descriptor[2] & 0x80) != 0) sense.information = load_be64(descriptor.data() + 4);
  } else if (type == kDescriptorSenseKeySpecific && descriptor.size() >= 7) {
    load_key_specific(descriptor.data() + 4, sense);
  }
}

Result<SenseData> parse_descriptor_format(ByteView bytes) {
  SenseData sense;
  sense.format = SenseFormat::descriptor;
  sense.deferred = (bytes[0] & 0x7f) == kResponseDescriptorDeferred;
  sense.key = static_cast<SenseKey>(bytes[1] & 0x0f);
  sense.code = {bytes[2], bytes[3]};
  // SPC-4 §4.5.2.1: ADDITIONAL SENSE LENGTH counts the bytes after byte 7; a shortened copy
  // (the initiator's buffer was smaller) is parsed as far as it goes.
  const std::size_t end = std::min(bytes.size(), std::size_t{8} + bytes[7]);
  std::size_t offset = 8;
  for (std::size_t count = 0; count < kMaxDescriptors && offset + 2 <= end; ++count) {
    const std::size_t length = std::size_t{2} + bytes[offset + 1];
    if (offset + length > end) break;
    parse_descriptor(bytes.subspan(offset, length), sense);
    offset += length;
  }
  return sense;
}

Result<SenseData> parse_fixed_format(ByteView bytes) {
  SenseData sense;
  sense.format = SenseFormat::fixed;
  sense.deferred = (bytes[0] & 0x7f) == kResponseFixedDeferred;
  sense.key = static_cast<SenseKey>(bytes[2] & 0x0f);
  sense.ili = (bytes[2] & 0x20) != 0;
  if ((bytes[0] & 0x80) != 0) sense.information = load_be32(bytes.data() + 3);
  const std::size_t end = std::min(bytes.size(), std::size_t{8} + bytes[7]);
  if (end >= 14) sense.code = {bytes[12], bytes[13]};
  if (end >= 18) load_key_specific(bytes.data() + 15, sense);
  return sense;
}

}  // namespace

Bytes build_fixed_sense(const SenseData& sense) {
  Bytes out(kFixedSenseLength, 0);
  out[0] = sense.deferred ? kResponseFixedDeferred : kResponseFixedCurrent;
  // SPC-4 §4.5.3: VALID only when the information fits the 4-byte field.
  if (sense.information && *sense.information <= 0xffffffffu) {
    out[0] = static_cast<std::uint8_t>(out[0] | 0x80);
    store_be32(out.data() + 3, static_cast<std::uint32_t>(*sense.information));
  }
  out[2] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(sense.key) | (sense.ili ? 0x20 : 0));
  out[7] = static_cast<std::uint8_t>(kFixedSenseLength - 8);
  out[12] = sense.code.asc;
  out[13] = sense.code.ascq;
  store_key_specific(sense, out.data() + 15);
  return out;
}

Bytes build_descriptor_sense(const SenseData& sense) {
  Bytes out(8, 0);
  out[0] = sense.deferred ? kResponseDescriptorDeferred : kResponseDescriptorCurrent;
  out[1] = static_cast<std::uint8_t>(sense.key);
  out[2] = sense.code.asc;
  out[3] = sense.code.ascq;
  if (sense.information) {
    // SPC-4 §4.5.2.2: information descriptor, 12 bytes, VALID set.
    const std::size_t at = out.size();
    out.resize(at + 12, 0);
    out[at] = kDescriptorInformation;
    out[at + 1] = 0x0a;
    out[at + 2] = 0x80;
    store_be64(out.data() + at + 4, *sense.information);
  }
  if (has_key_specific(sense)) {
    // SPC-4 §4.5.2.4: sense key specific descriptor, 8 bytes.
    const std::size_t at = out.size();
    out.resize(at + 8, 0);
    out[at] = kDescriptorSenseKeySpecific;
    out[at + 1] = 0x06;
    store_key_specific(sense, out.data() + at + 4);
  }
  out[7] = static_cast<std::uint8_t>(out.size() - 8);
  return out;
}

Bytes build_sense(const SenseData& sense, SenseFormat format) {
  switch (format) {
    case SenseFormat::fixed:
      return build_fixed_sense(sense);
    case SenseFormat::descriptor:
      return build_descriptor_sense(sense);
  }
  return build_fixed_sense(sense);
}

Result<SenseData> parse_sense(ByteView bytes) {
  if (bytes.size() > kMaxSenseLength) bytes = bytes.first(kMaxSenseLength);
  if (bytes.size() < 8) {
    return Violation{kSenseMalformed,
                     fmt::format("sense data of {} bytes is shorter than the 8-byte header",
                                 bytes.size())};
  }
  const std::uint8_t response_code = bytes[0] & 0x7f;
  switch (response_code) {
    case kResponseFixedCurrent:
    case kResponseFixedDeferred:
      return parse_fixed_format(bytes);
    case kResponseDescriptorCurrent:
    case kResponseDescriptorDeferred:
      return parse_descriptor_format(bytes);
    default:
      return Violation{kSenseMalformed,
                       fmt::format("sense data RESPONSE CODE 0x{:02x} is not 70h-73h",
                                   response_code)};
  }
}

}  // namespace iscsi::scsi
