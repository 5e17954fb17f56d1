#include "core/asio/rng.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <random>

namespace iscsi::asio {
namespace {

// A bound on getrandom(2) retries after EINTR, so no loop is unbounded.
constexpr int kMaxInterruptedCalls = 64;

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


}  // namespace iscsi::asio
