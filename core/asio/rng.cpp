#include "core/asio/rng.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <random>

namespace iscsi::asio {
namespace {

// A bound on getrandom(2) retries after EINTR, so no loop is unbounded.
constexpr int kMaxInterruptedCalls = 64;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// Fills `out` from getrandom(2); returns how many bytes it could fill.
std::size_t fill_from_kernel(MutableByteView out) {
  std::size_t done = 0;
  int interrupted = 0;
  while (done < out.size()) {
    const ssize_t got = ::getrandom(out.data() + done, out.size() - done, 0);
    if (got > 0) {
      done += static_cast<std::size_t>(got);
    } else if (got < 0 && errno == EINTR && ++interrupted < kMaxInterruptedCalls) {
      continue;
    } else {
      break;
    }
  }
  return done;
}

}  // namespace

void OsRng::fill(MutableByteView out) {
  const std::size_t done = fill_from_kernel(out);
  if (done == out.size()) return;
  std::random_device device;
  for (std::size_t i = done; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(device());
  }
}

std::uint64_t OsRng::next_u64() {
  std::uint8_t bytes[8];
  fill(bytes);
  std::uint64_t value = 0;
  for (const std::uint8_t b : bytes) value = (value << 8) | b;
  return value;
}

DeterministicRng::DeterministicRng(std::uint64_t seed) {
  for (std::uint64_t& word : state_) word = splitmix64(seed);
}

std::uint64_t DeterministicRng::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

void DeterministicRng::fill(MutableByteView out) {
  std::size_t i = 0;
  while (i < out.size()) {
    std::uint64_t word = next_u64();
    for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<std::uint8_t>(word);
      word >>= 8;
    }
  }
}

}  // namespace iscsi::asio
