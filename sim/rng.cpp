#include "sim/rng.hpp"

namespace iscsi::sim {
namespace {

// __extension__ keeps -Wpedantic quiet about the 128-bit product Lemire's method needs.
__extension__ using Uint128 = unsigned __int128;

}  // namespace

std::uint64_t derive_seed(std::uint64_t master_seed, std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
  for (char c : name) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  std::uint64_t state = master_seed ^ hash;
  splitmix64(state);
  return splitmix64(state);
}

std::uint64_t SimRng::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  // Lemire, "Fast Random Integer Generation in an Interval" (2019): unbiased with rejection.
  Uint128 m = static_cast<Uint128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<Uint128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::uint64_t SimRng::between(std::uint64_t low, std::uint64_t high) {
  if (high <= low) return low;
  const std::uint64_t span = high - low;
  if (span == ~std::uint64_t{0}) return next_u64();
  return low + below(span + 1);
}

}  // namespace iscsi::sim
