// Hardware CRC32C with the SSE4.2 crc32 instruction (which computes exactly the iSCSI
// polynomial). Only the functions below are compiled for SSE4.2/PCLMULQDQ, through target
// attributes, so the rest of the binary runs on any x86-64 and crc32c::extend() chooses at run
// time (DESIGN.md pitfalls).
//
// Why PCLMULQDQ to join the streams rather than precomputed "zeros" shift tables: a shift is
// one carry-less multiply plus one crc32 instead of four table lookups; its constant is one
// 32-bit word per shift distance, derived at compile time with the polynomial arithmetic of
// tables.hpp (all 64 block sizes used here fit in 512 bytes, and a call reads one or two
// entries), whereas a zeros table is 4 KiB per shift distance, competing with the PDU data for
// L1 cache. Every CPU with PCLMULQDQ also has SSE4.2; one with SSE4.2 but no PCLMULQDQ
// (Nehalem) gets the one-stream path, which still beats slicing-by-8 several times over.
#if defined(__x86_64__)

#include <immintrin.h>

#include <array>
#include <cstring>

#include "core/crc32c/implementations.hpp"
#include "core/crc32c/tables.hpp"

#define ISCSI_CRC_SSE42 __attribute__((target("sse4.2")))
#define ISCSI_CRC_SSE42_PCLMUL __attribute__((target("sse4.2,pclmul")))

namespace iscsi::crc32c {
namespace {

std::uint64_t load_u64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);  // x86-64 is little-endian; memcpy allows any alignment
  return v;
}

// Feeds single bytes until `p` is 8-byte aligned, so the word loads below never split a cache
// line.
ISCSI_CRC_SSE42 std::uint32_t align_head(std::uint32_t reg, const std::uint8_t*& p,
                                         std::size_t& n) {
  while (n > 0 && (reinterpret_cast<std::uintptr_t>(p) & 7u) != 0) {
    reg = _mm_crc32_u8(reg, *p);
    ++p;
    --n;
  }
  return reg;
}

// One dependent chain of crc32 instructions: 8 bytes per 3 cycles (the instruction latency).
ISCSI_CRC_SSE42 std::uint32_t serial_stream(std::uint32_t reg, const std::uint8_t* p,
                                            std::size_t n) {
  reg = align_head(reg, p, n);
  std::uint64_t reg64 = reg;
  for (; n >= 8; n -= 8, p += 8) reg64 = _mm_crc32_u64(reg64, load_u64(p));
  reg = static_cast<std::uint32_t>(reg64);
  for (; n > 0; --n, ++p) reg = _mm_crc32_u8(reg, *p);
  return reg;
}

// Three consecutive blocks of `block` bytes are digested as three independent streams (the
// instruction issues once per cycle but takes three), then joined: with registers a, b, c of
// the three blocks (b and c started from 0), the register over all of them is
// a * x^(16 * block) + b * x^(8 * block) + c  (mod P), by linearity of the CRC.
// A reflected 32x32 carry-less product represents (u * v * x), and crc32 of a 64-bit word w
// from 0 computes w * x^32 mod P, so multiplying by the constant x^(8k - 33) shifts by k bytes.
struct BlockShift {
  std::uint32_t two_blocks;  // x^(16 * block - 33) mod P, reflected
  std::uint32_t one_block;   // x^(8 * block - 33) mod P, reflected
};

// Block sizes are multiples of kGranule up to kLongBlock. Long inputs run in kLongBlock
// blocks, where the join (about a dozen cycles) is negligible; what is left takes one block
// sized to fit, so a PDU of any size pays for at most one short block and a tail under
// 3 * kGranule bytes.
constexpr std::size_t kGranule = 64;
constexpr std::size_t kLongBlock = 4096;
using ShiftTable = std::array<BlockShift, kLongBlock / kGranule>;

// Entry i is for block = (i + 1) * kGranule; each entry is the previous one times
// x^(8 * kGranule), so the table costs a few hundred multiplications at compile time.
constexpr ShiftTable make_shift_table() {
  const std::uint32_t step = detail::x_pow_mod_p(8 * kGranule);
  std::uint32_t one_block = detail::x_pow_mod_p(8 * kGranule - 33);
  std::uint32_t block_power = step;  // x^(8 * block)
  ShiftTable table{};
  for (BlockShift& entry : table) {
    entry = {detail::multiply_mod_p(one_block, block_power), one_block};
    one_block = detail::multiply_mod_p(one_block, step);
    block_power = detail::multiply_mod_p(block_power, step);
  }
  return table;
}

constexpr ShiftTable kShifts = make_shift_table();
static_assert(kShifts[0].one_block == detail::x_pow_mod_p(8 * kGranule - 33));
static_assert(kShifts.back().two_blocks == detail::x_pow_mod_p(16 * kLongBlock - 33));

ISCSI_CRC_SSE42_PCLMUL std::uint64_t clmul_low(std::uint32_t a, std::uint32_t b) {
  const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi32_si128(static_cast<int>(a)),
                                               _mm_cvtsi32_si128(static_cast<int>(b)), 0x00);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(product));
}

// Digests 3 * block bytes at p; block is a multiple of kGranule, at most kLongBlock.
ISCSI_CRC_SSE42_PCLMUL std::uint32_t three_streams(std::uint32_t reg, const std::uint8_t* p,
                                                   std::size_t block) {
  const BlockShift& shift = kShifts[block / kGranule - 1];
  const std::uint8_t* pb = p + block;
  const std::uint8_t* pc = pb + block;
  std::uint64_t a = reg;
  std::uint64_t b = 0;
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < block; i += 8) {
    a = _mm_crc32_u64(a, load_u64(p + i));
    b = _mm_crc32_u64(b, load_u64(pb + i));
    c = _mm_crc32_u64(c, load_u64(pc + i));
  }
  const std::uint64_t joined = clmul_low(static_cast<std::uint32_t>(a), shift.two_blocks) ^
                               clmul_low(static_cast<std::uint32_t>(b), shift.one_block);
  return static_cast<std::uint32_t>(_mm_crc32_u64(0, joined) ^ c);
}

// Below this, one stream is as fast (one 3 x kGranule block, plus up to 7 alignment bytes).
constexpr std::size_t kThreeStreamMin = 3 * kGranule + 8;

// Kept out of line so that short inputs do not pay for its register saves.
__attribute__((noinline)) ISCSI_CRC_SSE42_PCLMUL std::uint32_t three_stream_register(
    std::uint32_t reg, const std::uint8_t* p, std::size_t n) {
  reg = align_head(reg, p, n);
  for (; n >= 3 * kLongBlock; n -= 3 * kLongBlock, p += 3 * kLongBlock) {
    reg = three_streams(reg, p, kLongBlock);
  }
  if (n >= 3 * kGranule) {
    const std::size_t block = n / (3 * kGranule) * kGranule;
    reg = three_streams(reg, p, block);
    p += 3 * block;
    n -= 3 * block;
  }
  return serial_stream(reg, p, n);
}

}  // namespace

ISCSI_CRC_SSE42 std::uint32_t extend_sse42(std::uint32_t crc, ByteView bytes) {
  return ~serial_stream(~crc, bytes.data(), bytes.size());
}

ISCSI_CRC_SSE42_PCLMUL std::uint32_t extend_sse42_pclmul(std::uint32_t crc, ByteView bytes) {
  // A BHS (48 bytes) and other short inputs gain nothing from three streams.
  if (bytes.size() < kThreeStreamMin) return extend_sse42(crc, bytes);
  return ~three_stream_register(~crc, bytes.data(), bytes.size());
}

}  // namespace iscsi::crc32c

#endif  // defined(__x86_64__)
