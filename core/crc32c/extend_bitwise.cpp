#include "core/crc32c/implementations.hpp"
#include "core/crc32c/tables.hpp"

namespace iscsi::crc32c {

// The definition of CRC32C (RFC 7143 §13.1) one bit at a time: slow, but short enough to check
// by eye, so it is the oracle every faster path is tested against.
std::uint32_t extend_bitwise(std::uint32_t crc, ByteView bytes) {
  std::uint32_t reg = ~crc;
  for (std::uint8_t b : bytes) {
    reg ^= b;
    for (int bit = 0; bit < 8; ++bit) reg = detail::shift_bit(reg);
  }
  return ~reg;
}

}  // namespace iscsi::crc32c
