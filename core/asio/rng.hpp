#pragma once
// Randomness for real runs: the OS generator by default (CHAP challenges must be unpredictable,
// RFC 7143 §12.1.3), or a seeded in-tree generator when a run must be reproducible.
#include <cstdint>

#include "core/runtime/rng.hpp"
#include "core/runtime/seeded_rng.hpp"

namespace iscsi::asio {

// getrandom(2); std::random_device only if the system call is unavailable.
class OsRng final : public runtime::Rng {
 public:
  std::uint64_t next_u64() override;
  void fill(MutableByteView out) override;
};

// Reproducible real runs use core's in-tree xoshiro256** (a seed means the same everywhere).
using DeterministicRng = runtime::SeededRng;

}  // namespace iscsi::asio
