#include "core/crc32c/crc32c.hpp"

namespace iscsi::crc32c {

// Bitwise reference implementation. The fast paths (SSE4.2 hardware, slicing tables) replace
// this body and keep it as the test oracle.
std::uint32_t extend(std::uint32_t crc, ByteView bytes) {
  std::uint32_t reg = ~crc;
  for (std::uint8_t b : bytes) {
    reg ^= b;
    for (int bit = 0; bit < 8; ++bit) {
      reg = (reg >> 1) ^ (0x82F63B78u & (0u - (reg & 1u)));
    }
  }
  return ~reg;
}

std::uint32_t compute(ByteView bytes) { return extend(0, bytes); }

}  // namespace iscsi::crc32c
