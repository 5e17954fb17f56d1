#include "initiator-impl/io/pattern.hpp"

#include <bit>
#include <cstring>

namespace iscsi::initiator::io {
namespace {

// splitmix64's finalizer over the seed and the word index: cheap, and every bit of both
// inputs reaches every output bit.
std::uint64_t word_at(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + index * 0xbf58476d1ce4e5b9ULL + 1;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The word's bytes in memory order: byte k of the word is offset 8 * index + k.
std::uint64_t memory_word(std::uint64_t seed, std::uint64_t index) {
  const std::uint64_t word = word_at(seed, index);
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(word);
  return word;
}

}  // namespace

std::uint8_t pattern_byte(std::uint64_t seed, std::uint64_t offset) {
  return static_cast<std::uint8_t>(word_at(seed, offset / 8) >> (8 * (offset % 8)));
}

void fill_pattern(std::uint64_t seed, std::uint64_t offset, MutableByteView out) {
  std::size_t i = 0;
  for (; i < out.size() && (offset + i) % 8 != 0; ++i) out[i] = pattern_byte(seed, offset + i);
  std::uint64_t index = (offset + i) / 8;
  for (; i + 8 <= out.size(); i += 8, ++index) {
    const std::uint64_t word = memory_word(seed, index);
    std::memcpy(out.data() + i, &word, sizeof word);
  }
  for (; i < out.size(); ++i) out[i] = pattern_byte(seed, offset + i);
}

std::optional<std::size_t> find_pattern_mismatch(std::uint64_t seed, std::uint64_t offset,
                                                 ByteView data) {
  std::size_t i = 0;
  for (; i < data.size() && (offset + i) % 8 != 0; ++i) {
    if (data[i] != pattern_byte(seed, offset + i)) return i;
  }
  std::uint64_t index = (offset + i) / 8;
  for (; i + 8 <= data.size(); i += 8, ++index) {
    std::uint64_t got = 0;
    std::memcpy(&got, data.data() + i, sizeof got);
    if (got != memory_word(seed, index)) break;  // the byte loop below finds which byte
  }
  for (; i < data.size(); ++i) {
    if (data[i] != pattern_byte(seed, offset + i)) return i;
  }
  return std::nullopt;
}

}  // namespace iscsi::initiator::io
