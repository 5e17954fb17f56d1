#pragma once
// Seeded randomness for the simulator. One master seed derives named, independent sub-streams
// so that adding a consumer of randomness in one place never shifts the numbers seen elsewhere.
// The generator (xoshiro256**, seeded through SplitMix64) and the range reduction are in-tree
// because std::uniform_int_distribution differs between standard libraries, and a seed must mean
// the same run everywhere.
#include <cstdint>
#include <string_view>

#include "core/runtime/seeded_rng.hpp"

namespace iscsi::sim {

using runtime::splitmix64;

// The seed of the sub-stream `name` under `master_seed` (FNV-1a of the name mixed with the seed).
std::uint64_t derive_seed(std::uint64_t master_seed, std::string_view name);

// core's SeededRng (xoshiro256**), plus the range reduction the simulator needs.
class SimRng final : public runtime::SeededRng {
 public:
  using runtime::SeededRng::SeededRng;

  // Uniform in [0, bound), bound > 0 (Lemire's multiply-shift with rejection); 0 when bound is 0.
  std::uint64_t below(std::uint64_t bound);
  // Uniform in [low, high], inclusive; `low` when high <= low.
  std::uint64_t between(std::uint64_t low, std::uint64_t high);
};

}  // namespace iscsi::sim
