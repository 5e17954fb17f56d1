#pragma once
// Fixed sizes and limits of the PDU format. Every buffer in the codec and the framer is
// bounded by one of these names.
#include <cstddef>
#include <cstdint>

namespace iscsi::pdu {

// RFC 7143 §11.2: the Basic Header Segment is always 48 bytes.
inline constexpr std::size_t kBhsLength = 48;
// RFC 7143 §11.2.1.4: TotalAHSLength is one byte counting 4-byte words.
inline constexpr std::size_t kMaxTotalAhsLength = 255 * 4;
// RFC 7143 §11.2.2: each AHS starts with AHSLength (2 bytes) and AHSType (1 byte).
inline constexpr std::size_t kAhsHeaderLength = 3;
// RFC 7143 §13.1: a CRC32C digest is 4 bytes.
inline constexpr std::size_t kDigestLength = 4;
// BHS + the largest AHS chain + header digest: the most the framer buffers for a header.
inline constexpr std::size_t kMaxHeaderSegmentLength =
    kBhsLength + kMaxTotalAhsLength + kDigestLength;
// RFC 7143 §11.2.1.5: DataSegmentLength is a 24-bit field.
inline constexpr std::uint32_t kMaxDataSegmentLength = 0xffffff;
// RFC 7143 §13.12: MaxRecvDataSegmentLength before it is negotiated (during login).
inline constexpr std::uint32_t kDefaultMaxRecvDataSegmentLength = 8192;
// RFC 7143 §11.2.1.5: segments are padded to a multiple of 4 bytes.
inline constexpr std::size_t kPadAlignment = 4;
// RFC 7143 §11.2.1.3: SCSI Command BHS bytes 32-47 hold the first 16 CDB bytes.
inline constexpr std::size_t kBhsCdbLength = 16;
// RFC 7143 §11.2.1.7: the reserved tag value; "no task" as ITT, "no transfer tag" as TTT.
inline constexpr std::uint32_t kReservedTag = 0xffffffff;

constexpr std::size_t pad_length(std::size_t length) {
  return (kPadAlignment - length % kPadAlignment) % kPadAlignment;
}
constexpr std::size_t padded_length(std::size_t length) { return length + pad_length(length); }

}  // namespace iscsi::pdu
