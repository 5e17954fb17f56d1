#pragma once
// Compile-time constants of CRC32C (RFC 7143 §13.1, RFC 3385): the lookup tables of the
// portable paths and the polynomial arithmetic that derives the stream-combining constants of
// the hardware path. Everything here is constexpr, so no table is built at run time and no
// magic constant is copied by hand.
#include <array>
#include <cstddef>
#include <cstdint>

namespace iscsi::crc32c::detail {

// Castagnoli polynomial 0x1EDC6F41, bit-reflected (bit 31 holds x^0).
inline constexpr std::uint32_t kPolyReflected = 0x82F63B78u;

// One step of the reflected register per input bit (the bitwise oracle's inner loop).
constexpr std::uint32_t shift_bit(std::uint32_t reg) {
  return (reg >> 1) ^ (kPolyReflected & (0u - (reg & 1u)));
}

// Slicing tables: kTables[0] is the classic byte table; kTables[k][b] is the register effect of
// byte b followed by k zero bytes, so eight bytes can be folded with eight independent loads.
using SliceTables = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr SliceTables make_slice_tables() {
  SliceTables tables{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t reg = b;
    for (int bit = 0; bit < 8; ++bit) reg = shift_bit(reg);
    tables[0][b] = reg;
  }
  for (std::size_t k = 1; k < tables.size(); ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      const std::uint32_t prev = tables[k - 1][b];
      tables[k][b] = (prev >> 8) ^ tables[0][prev & 0xffu];
    }
  }
  return tables;
}

inline constexpr SliceTables kSliceTables = make_slice_tables();

// Polynomials modulo P in the reflected representation: bit 31 is x^0, bit 0 is x^31.
// a(x) * b(x) mod P (zlib's multmodp, generalised to the Castagnoli polynomial).
constexpr std::uint32_t multiply_mod_p(std::uint32_t a, std::uint32_t b) {
  std::uint32_t product = 0;
  for (std::uint32_t mask = 0x80000000u; mask != 0; mask >>= 1) {
    if ((a & mask) != 0) product ^= b;
    b = shift_bit(b);  // b(x) * x mod P
  }
  return product;
}

// x^n mod P by square-and-multiply, so even large n costs only ~64 multiplications.
constexpr std::uint32_t x_pow_mod_p(std::uint64_t n) {
  std::uint32_t result = 0x80000000u;  // x^0
  std::uint32_t square = 0x40000000u;  // x^1
  while (n != 0) {
    if ((n & 1u) != 0) result = multiply_mod_p(result, square);
    square = multiply_mod_p(square, square);
    n >>= 1;
  }
  return result;
}

}  // namespace iscsi::crc32c::detail
