// Run-time choice of the CRC32C path. The choice is a constant of the machine, made once on
// first use from cpuid; it is not mutable state.
#include "core/crc32c/crc32c.hpp"

#include "core/crc32c/implementations.hpp"

namespace iscsi::crc32c {
namespace {

using ExtendFunction = std::uint32_t (*)(std::uint32_t, ByteView);

ExtendFunction function_for(Implementation implementation) {
  switch (implementation) {
    case Implementation::bitwise:
      return &extend_bitwise;
    case Implementation::byte_table:
      return &extend_byte_table;
    case Implementation::slicing8:
      return &extend_slicing8;
#if defined(__x86_64__)
    case Implementation::sse42:
      return &extend_sse42;
    case Implementation::sse42_pclmul:
      return &extend_sse42_pclmul;
#else
    // Never supported off x86-64 (is_supported() says so); the portable path keeps a misuse
    // from crashing.
    case Implementation::sse42:
    case Implementation::sse42_pclmul:
      return &extend_slicing8;
#endif
  }
  return &extend_slicing8;
}

}  // namespace

std::string_view name(Implementation implementation) {
  switch (implementation) {
    case Implementation::bitwise:
      return "bitwise";
    case Implementation::byte_table:
      return "byte-table";
    case Implementation::slicing8:
      return "slicing-by-8";
    case Implementation::sse42:
      return "sse4.2";
    case Implementation::sse42_pclmul:
      return "sse4.2+pclmul";
  }
  return "unknown";
}

CpuFeatures detect_cpu_features() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return {__builtin_cpu_supports("sse4.2") != 0, __builtin_cpu_supports("pclmul") != 0};
#else
  return {};
#endif
}

Implementation choose_implementation(CpuFeatures features) {
  if (features.sse42 && features.pclmul) return Implementation::sse42_pclmul;
  if (features.sse42) return Implementation::sse42;
  return Implementation::slicing8;
}

bool is_supported(Implementation implementation, CpuFeatures features) {
  switch (implementation) {
    case Implementation::bitwise:
    case Implementation::byte_table:
    case Implementation::slicing8:
      return true;
    case Implementation::sse42:
      return features.sse42;
    case Implementation::sse42_pclmul:
      return features.sse42 && features.pclmul;
  }
  return false;
}

Implementation active() {
  static const Implementation chosen = choose_implementation(detect_cpu_features());
  return chosen;
}

std::uint32_t extend_with(Implementation implementation, std::uint32_t crc, ByteView bytes) {
  return function_for(implementation)(crc, bytes);
}

std::string_view active_implementation() { return name(active()); }

std::uint32_t extend(std::uint32_t crc, ByteView bytes) {
  static const ExtendFunction chosen = function_for(active());
  return chosen(crc, bytes);
}

std::uint32_t compute(ByteView bytes) { return extend(0, bytes); }

}  // namespace iscsi::crc32c
