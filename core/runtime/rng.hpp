#pragma once
// Injected randomness: CHAP challenges, ISIDs, segment sizes. The simulator derives named
// seeded streams; production runs use the OS. Protocol code never creates its own generator.
#include <cstdint>

#include "core/common/bytes.hpp"

namespace iscsi::runtime {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual std::uint64_t next_u64() = 0;
  virtual void fill(MutableByteView out) = 0;
};

}  // namespace iscsi::runtime
