#include "core/crc32c/implementations.hpp"
#include "core/crc32c/tables.hpp"

namespace iscsi::crc32c {
namespace {

// Little-endian load from any alignment; compilers turn the shifts into one 8-byte load on
// little-endian targets, and the result is correct on big-endian ones too.
std::uint64_t load_le64(const std::uint8_t* p) {
  return std::uint64_t{p[0]} | (std::uint64_t{p[1]} << 8) | (std::uint64_t{p[2]} << 16) |
         (std::uint64_t{p[3]} << 24) | (std::uint64_t{p[4]} << 32) | (std::uint64_t{p[5]} << 40) |
         (std::uint64_t{p[6]} << 48) | (std::uint64_t{p[7]} << 56);
}

std::uint32_t table_byte(std::size_t table, std::uint64_t word, int shift) {
  return detail::kSliceTables[table][(word >> shift) & 0xffu];
}

}  // namespace

std::uint32_t extend_byte_table(std::uint32_t crc, ByteView bytes) {
  const auto& table = detail::kSliceTables[0];
  std::uint32_t reg = ~crc;
  for (std::uint8_t b : bytes) reg = (reg >> 8) ^ table[(reg ^ b) & 0xffu];
  return ~reg;
}

// Slicing-by-8: the register is folded into the first four bytes of an 8-byte word, and each
// byte is looked up in the table that already accounts for the bytes that follow it, so the
// eight loads are independent instead of a chain.
std::uint32_t extend_slicing8(std::uint32_t crc, ByteView bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  std::uint32_t reg = ~crc;
  for (; n >= 8; n -= 8, p += 8) {
    const std::uint64_t word = load_le64(p) ^ reg;
    reg = table_byte(7, word, 0) ^ table_byte(6, word, 8) ^ table_byte(5, word, 16) ^
          table_byte(4, word, 24) ^ table_byte(3, word, 32) ^ table_byte(2, word, 40) ^
          table_byte(1, word, 48) ^ table_byte(0, word, 56);
  }
  const auto& table = detail::kSliceTables[0];
  for (; n > 0; --n, ++p) reg = (reg >> 8) ^ table[(reg ^ *p) & 0xffu];
  return ~reg;
}

}  // namespace iscsi::crc32c
