#include <fmt/format.h>

#include "core/pdu/ahs_codec.hpp"
#include "core/pdu/limits.hpp"
#include "core/pdu/violations.hpp"

namespace iscsi::pdu {
namespace {

constexpr std::uint8_t kAhsTypeMask = 0x3f;  // the top two bits of AHSType are reserved
constexpr std::size_t kBidiAhsLength = 5;    // reserved byte + 4-byte length

// AHSLength: the AHS-specific bytes after AHSType, without padding.
std::size_t specific_length(const Ahs& ahs) {
  return std::visit(
      [](const auto& a) -> std::size_t {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ExtendedCdbAhs>) {
          return 1 + a.cdb_tail.size();
        } else if constexpr (std::is_same_v<T, BidiReadLengthAhs>) {
          return kBidiAhsLength;
        } else {
          return a.specific.size();
        }
      },
      ahs);
}

}  // namespace

std::size_t ahs_wire_length(const Ahs& ahs) {
  return padded_length(kAhsHeaderLength + specific_length(ahs));
}

namespace detail {
namespace {

void append_header(Bytes& out, std::size_t length, std::uint8_t type) {
  out.push_back(static_cast<std::uint8_t>(length >> 8));
  out.push_back(static_cast<std::uint8_t>(length));
  out.push_back(static_cast<std::uint8_t>(type & kAhsTypeMask));
}

// Decodes one AHS whose specific bytes are `specific` (AHSLength bytes, no padding).
Ahs decode_one(std::uint8_t type, ByteView specific, std::string_view pdu_name,
               std::vector<Violation>& observations) {
  const bool typed_layout =
      (type == static_cast<std::uint8_t>(AhsType::extended_cdb) && !specific.empty()) ||
      (type == static_cast<std::uint8_t>(AhsType::bidirectional_read_length) &&
       specific.size() == kBidiAhsLength);
  if (!typed_layout) {
    const bool known = type == static_cast<std::uint8_t>(AhsType::extended_cdb) ||
                       type == static_cast<std::uint8_t>(AhsType::bidirectional_read_length);
    observations.push_back(
        known ? Violation{violations::kAhsUnexpectedLength,
                          fmt::format("{}: AHS type {} has AHSLength {}", pdu_name, type,
                                      specific.size())}
              : Violation{violations::kUnknownAhsType,
                          fmt::format("{}: AHS type {} (AHSLength {}) is not defined", pdu_name,
                                      type, specific.size())});
    return RawAhs{type, Bytes(specific.begin(), specific.end())};
  }
  if (specific[0] != 0) {
    observations.push_back(
        {violations::kReservedFieldNonZero,
         fmt::format("{}: reserved byte of AHS type {} is 0x{:02x}", pdu_name, type, specific[0])});
  }
  if (type == static_cast<std::uint8_t>(AhsType::extended_cdb)) {
    return ExtendedCdbAhs{Bytes(specific.begin() + 1, specific.end())};
  }
  return BidiReadLengthAhs{load_be32(specific.data() + 1)};
}

}  // namespace

void encode_ahs(const Ahs& ahs, Bytes& out) {
  const std::size_t start = out.size();
  std::visit(
      [&out](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, ExtendedCdbAhs>) {
          append_header(out, 1 + a.cdb_tail.size(),
                        static_cast<std::uint8_t>(AhsType::extended_cdb));
          out.push_back(0);
          out.insert(out.end(), a.cdb_tail.begin(), a.cdb_tail.end());
        } else if constexpr (std::is_same_v<T, BidiReadLengthAhs>) {
          append_header(out, kBidiAhsLength,
                        static_cast<std::uint8_t>(AhsType::bidirectional_read_length));
          out.push_back(0);
          std::uint8_t value[4];
          store_be32(value, a.read_expected_data_transfer_length);
          out.insert(out.end(), value, value + 4);
        } else {
          append_header(out, a.specific.size(), a.type);
          out.insert(out.end(), a.specific.begin(), a.specific.end());
        }
      },
      ahs);
  out.resize(start + padded_length(out.size() - start), 0);
}

Result<std::vector<Ahs>> decode_ahs_chain(ByteView chain, std::string_view pdu_name,
                                          std::vector<Violation>& observations) {
  std::vector<Ahs> result;
  std::size_t offset = 0;
  // Each AHS takes at least 4 bytes, so the loop runs at most kMaxTotalAhsLength / 4 times.
  while (offset < chain.size()) {
    if (chain.size() - offset < kAhsHeaderLength) {
      return Violation{violations::kAhsLengthMismatch,
                       fmt::format("{}: TotalAHSLength {} words ends inside an AHS header at "
                                   "byte {}",
                                   pdu_name, chain.size() / 4, offset)};
    }
    const std::size_t length = load_be16(chain.data() + offset);
    const auto type_byte = chain[offset + 2];
    const std::size_t wire = padded_length(kAhsHeaderLength + length);
    if (wire > chain.size() - offset) {
      return Violation{violations::kAhsLengthMismatch,
                       fmt::format("{}: AHS at byte {} has AHSLength {} ({} bytes padded) but "
                                   "TotalAHSLength leaves {} bytes",
                                   pdu_name, offset, length, wire, chain.size() - offset)};
    }
    if ((type_byte & ~kAhsTypeMask) != 0) {
      observations.push_back(
          {violations::kReservedFieldNonZero,
           fmt::format("{}: reserved bits of AHSType are set (0x{:02x})", pdu_name, type_byte)});
    }
    const ByteView specific = chain.subspan(offset + kAhsHeaderLength, length);
    result.push_back(decode_one(static_cast<std::uint8_t>(type_byte & kAhsTypeMask), specific,
                                pdu_name, observations));
    for (std::size_t i = offset + kAhsHeaderLength + length; i < offset + wire; ++i) {
      if (chain[i] != 0) {
        observations.push_back(
            {violations::kNonZeroPad,
             fmt::format("{}: pad byte {} of the AHS chain is 0x{:02x}", pdu_name, i, chain[i])});
        break;
      }
    }
    offset += wire;
  }
  return result;
}

}  // namespace detail
}  // namespace iscsi::pdu
