#pragma once
// CRC32C (Castagnoli), the iSCSI header and data digest (RFC 7143 §13.1): polynomial
// 0x1EDC6F41 (reflected 0x82F63B78), register preset 0xFFFFFFFF, reflected in and out, final
// XOR 0xFFFFFFFF. check("123456789") == 0xE3069283.
#include <cstdint>
#include <string_view>

#include "core/common/bytes.hpp"

namespace iscsi::crc32c {

// The digest of `bytes`.
std::uint32_t compute(ByteView bytes);

// Continues a digest: extend(compute(a), b) == compute(a || b). Start with extend(0, ...).
// Runs the fastest path this CPU supports (SSE4.2 crc32 with PCLMULQDQ, SSE4.2 alone, or
// portable slicing-by-8), chosen once at run time from cpuid.
std::uint32_t extend(std::uint32_t crc, ByteView bytes);

// Which path extend() runs: "sse4.2+pclmul", "sse4.2" or "slicing-by-8".
std::string_view active_implementation();

// Receiver shortcut (RFC 7143 §13.1, digest §1.7): the CRC over data followed by its correct
// digest bytes (as sent, least-significant byte first) is this constant, whatever the data.
inline constexpr std::uint32_t kGoodDigestResidue = 0x48674BC7u;

// The digest travels least-significant byte first, unlike every other iSCSI integer
// (RFC 7143 §13.1; value 0x8A9136AA is sent as aa 36 91 8a).
inline void store_digest(std::uint8_t* out, std::uint32_t crc) {
  out[0] = static_cast<std::uint8_t>(crc);
  out[1] = static_cast<std::uint8_t>(crc >> 8);
  out[2] = static_cast<std::uint8_t>(crc >> 16);
  out[3] = static_cast<std::uint8_t>(crc >> 24);
}
inline std::uint32_t load_digest(const std::uint8_t* in) {
  return std::uint32_t{in[0]} | (std::uint32_t{in[1]} << 8) | (std::uint32_t{in[2]} << 16) |
         (std::uint32_t{in[3]} << 24);
}

}  // namespace iscsi::crc32c
