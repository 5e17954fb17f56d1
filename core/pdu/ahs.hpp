#pragma once
// Additional Header Segments (RFC 7143 §11.2.2): AHSLength (2 bytes, the AHS-specific length
// excluding padding), AHSType (1 byte; the low 6 bits are the code), AHS-specific bytes, padding
// to 4 bytes. Types 1 and 2 are decoded; anything else is kept verbatim.
#include <cstdint>
#include <variant>

#include "core/common/bytes.hpp"

namespace iscsi::pdu {

enum class AhsType : std::uint8_t {
  extended_cdb = 1,               // RFC 7143 §11.2.2.3
  bidirectional_read_length = 2,  // RFC 7143 §11.2.2.4
};

// Type 1: one reserved byte, then CDB bytes 16..N-1; AHSLength = N - 15.
struct ExtendedCdbAhs {
  Bytes cdb_tail;
  bool operator==(const ExtendedCdbAhs&) const = default;
};

// Type 2: one reserved byte, then the 4-byte Bidirectional Read Expected Data Transfer
// Length; AHSLength = 5.
struct BidiReadLengthAhs {
  std::uint32_t read_expected_data_transfer_length = 0;
  bool operator==(const BidiReadLengthAhs&) const = default;
};

// Any other type, or type 1/2 with a length that does not fit its layout: the 6-bit code and
// the AHSLength bytes that follow AHSType, verbatim.
struct RawAhs {
  std::uint8_t type = 0;
  Bytes specific;
  bool operator==(const RawAhs&) const = default;
};

using Ahs = std::variant<ExtendedCdbAhs, BidiReadLengthAhs, RawAhs>;

// Length on the wire of one AHS including its padding.
std::size_t ahs_wire_length(const Ahs& ahs);

}  // namespace iscsi::pdu
