#pragma once
// The data of pattern jobs: every byte is a pure function of the seed and its absolute byte
// offset on the LU, so any block can be made or checked on its own and a block that landed at
// the wrong LBA is caught. Bytes come from one 64-bit mix of (seed, offset / 8) per 8-byte word,
// so filling and checking run a word at a time.
#include <cstdint>
#include <optional>

#include "core/common/bytes.hpp"

namespace iscsi::initiator::io {

// The pattern byte at `offset`.
std::uint8_t pattern_byte(std::uint64_t seed, std::uint64_t offset);
// Fills `out` with the pattern of [offset, offset + out.size()).
void fill_pattern(std::uint64_t seed, std::uint64_t offset, MutableByteView out);
// The index in `data` of the first byte that differs from the pattern of
// [offset, offset + data.size()), or nullopt when all match.
std::optional<std::size_t> find_pattern_mismatch(std::uint64_t seed, std::uint64_t offset,
                                                 ByteView data);

}  // namespace iscsi::initiator::io
