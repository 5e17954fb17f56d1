#pragma once
// The one in-tree deterministic generator: xoshiro256** (Blackman, Vigna) seeded through
// SplitMix64. In-tree so that a seed means the same numbers under any standard library; used by
// the simulator's sub-streams and by real runs that must be reproducible.
#include <cstdint>

#include "core/runtime/rng.hpp"

namespace iscsi::runtime {

// One SplitMix64 step: advances `state` and returns the next output.
std::uint64_t splitmix64(std::uint64_t& state);

class SeededRng : public Rng {
 public:
  explicit SeededRng(std::uint64_t seed);
  std::uint64_t next_u64() override;
  // One draw per eight bytes, least-significant byte first.
  void fill(MutableByteView out) override;

 private:
  std::uint64_t state_[4];
};

}  // namespace iscsi::runtime
