#pragma once
// Internal header: every CRC32C implementation, so tests can check each one against the
// bitwise oracle and the benchmark can compare them. Production code calls crc32c::extend(),
// which picks the fastest path this CPU supports once, at run time (DESIGN.md pitfalls: the
// binary may run on a CPU without SSE4.2 or PCLMULQDQ, so nothing is compiled for them globally).
//
// Every function here has the contract of crc32c::extend(): it continues a finished digest.
#include <array>
#include <cstdint>
#include <string_view>

#include "core/common/bytes.hpp"

namespace iscsi::crc32c {

enum class Implementation {
  bitwise,       // one bit per step: the test oracle
  byte_table,    // classic 256-entry table, one byte per step: the benchmark baseline
  slicing8,      // slicing-by-8: the portable fallback
  sse42,         // SSE4.2 crc32 instruction, one stream
  sse42_pclmul,  // SSE4.2 crc32, three interleaved streams combined with PCLMULQDQ
};

inline constexpr std::array<Implementation, 5> kAllImplementations{
    Implementation::bitwise, Implementation::byte_table, Implementation::slicing8,
    Implementation::sse42, Implementation::sse42_pclmul};

// "bitwise", "byte-table", "slicing-by-8", "sse4.2", "sse4.2+pclmul".
std::string_view name(Implementation implementation);

// The instruction-set extensions the CRC paths use. All false off x86-64.
struct CpuFeatures {
  bool sse42 = false;
  bool pclmul = false;
};

// Asks the CPU (cpuid, through __builtin_cpu_supports).
CpuFeatures detect_cpu_features();
// The selection rule, kept pure so tests can check it for every feature combination.
Implementation choose_implementation(CpuFeatures features);
bool is_supported(Implementation implementation, CpuFeatures features);
// choose_implementation(detect_cpu_features()), computed once.
Implementation active();

std::uint32_t extend_bitwise(std::uint32_t crc, ByteView bytes);
std::uint32_t extend_byte_table(std::uint32_t crc, ByteView bytes);
std::uint32_t extend_slicing8(std::uint32_t crc, ByteView bytes);
#if defined(__x86_64__)
// Precondition: the CPU has SSE4.2 (and PCLMULQDQ for the second); otherwise they fault.
std::uint32_t extend_sse42(std::uint32_t crc, ByteView bytes);
std::uint32_t extend_sse42_pclmul(std::uint32_t crc, ByteView bytes);
#endif

// Runs one named implementation. Precondition: is_supported(implementation,
// detect_cpu_features()); off x86-64 the hardware entries are never supported.
std::uint32_t extend_with(Implementation implementation, std::uint32_t crc, ByteView bytes);

}  // namespace iscsi::crc32c
