#pragma once
// Randomness for real runs: the OS generator by default (CHAP challenges must be unpredictable,
// RFC 7143 §12.1.3), or a seeded in-tree generator when a run must be reproducible.
#include <cstdint>

#include "core/runtime/rng.hpp"

namespace iscsi::asio {

// getrandom(2); std::random_device only if the system call is unavailable.
class OsRng final : public runtime::Rng {
 public:
  std::uint64_t next_u64() override;
  void fill(MutableByteView out) override;
};

// xoshiro256** seeded through SplitMix64: in-tree, so a seed means the same under any standard
// library. fill() uses one draw per eight bytes, least-significant byte first.
class DeterministicRng final : public runtime::Rng {
 public:
  explicit DeterministicRng(std::uint64_t seed);
  std::uint64_t next_u64() override;
  void fill(MutableByteView out) override;

 private:
  std::uint64_t state_[4];
};

}  // namespace iscsi::asio
