#pragma once
// Serial-number arithmetic (RFC 1982, SERIAL_BITS = 32) for CmdSN, ExpCmdSN, MaxCmdSN, StatSN,
// ExpStatSN, DataSN, R2TSN and ExpDataSN (RFC 7143 §4.2.2). Sequence numbers wrap, so
// 0xFFFFFFFF comes before 0, and the order is only partial: two numbers exactly 2^31 apart are
// unordered (RFC 1982 §3.2), which a checker must report rather than guess.
#include <compare>
#include <cstdint>
#include <optional>

namespace iscsi {

// Largest increment RFC 1982 §3.1 defines: (2^(SERIAL_BITS - 1)) - 1.
inline constexpr std::uint32_t kSerialAddMax = 0x7FFFFFFFu;
inline constexpr std::uint32_t kSerialHalf = 0x80000000u;

// RFC 1982 §3.2 comparison: less, equivalent, greater, or unordered when the numbers are
// exactly 2^31 apart (the RFC leaves that case undefined).
constexpr std::partial_ordering serial_compare(std::uint32_t a, std::uint32_t b) {
  const std::uint32_t forward = b - a;  // modulo 2^32
  if (forward == 0) return std::partial_ordering::equivalent;
  if (forward == kSerialHalf) return std::partial_ordering::unordered;
  return forward < kSerialHalf ? std::partial_ordering::less : std::partial_ordering::greater;
}

// True when comparing a and b is undefined (their distance is exactly 2^31).
constexpr bool serial_undefined(std::uint32_t a, std::uint32_t b) {
  return b - a == kSerialHalf;
}

// Each of these is false when the comparison is undefined.
constexpr bool serial_lt(std::uint32_t a, std::uint32_t b) { return serial_compare(a, b) < 0; }
constexpr bool serial_le(std::uint32_t a, std::uint32_t b) { return serial_compare(a, b) <= 0; }
constexpr bool serial_gt(std::uint32_t a, std::uint32_t b) { return serial_compare(a, b) > 0; }
constexpr bool serial_ge(std::uint32_t a, std::uint32_t b) { return serial_compare(a, b) >= 0; }

// RFC 1982 §3.1 addition, modulo 2^32. The RFC defines it only for n <= kSerialAddMax; callers
// add small counts (one per command or PDU).
constexpr std::uint32_t serial_add(std::uint32_t s, std::uint32_t n) { return s + n; }

// How many increments lead from `from` to `to` (modulo 2^32), e.g. the number of CmdSNs in
// [ExpCmdSN, MaxCmdSN] is serial_distance(ExpCmdSN, MaxCmdSN) + 1.
constexpr std::uint32_t serial_distance(std::uint32_t from, std::uint32_t to) { return to - from; }

// a - b as a signed count in (-2^31, 2^31), or nullopt when the distance is exactly 2^31.
constexpr std::optional<std::int64_t> serial_difference(std::uint32_t a, std::uint32_t b) {
  const std::uint32_t forward = a - b;
  if (forward == kSerialHalf) return std::nullopt;
  if (forward < kSerialHalf) return std::int64_t{forward};
  return std::int64_t{forward} - (std::int64_t{1} << 32);
}

// low <= value <= high, serially (RFC 7143 §4.2.2.1 command window [ExpCmdSN, MaxCmdSN]).
// A closed window (high == low - 1) contains nothing, and a value whose comparison with
// either bound is undefined is outside.
constexpr bool serial_in_window(std::uint32_t value, std::uint32_t low, std::uint32_t high) {
  return serial_le(low, value) && serial_le(value, high);
}

// A sequence number as a value type: ordered by RFC 1982 (operator<=> is partial, so an
// undefined comparison yields std::partial_ordering::unordered and every relational operator
// answers false).
struct SerialNumber {
  std::uint32_t value = 0;

  constexpr SerialNumber next() const { return SerialNumber{serial_add(value, 1)}; }
  constexpr SerialNumber operator+(std::uint32_t n) const {
    return SerialNumber{serial_add(value, n)};
  }
  friend constexpr bool operator==(SerialNumber a, SerialNumber b) = default;
  friend constexpr std::partial_ordering operator<=>(SerialNumber a, SerialNumber b) {
    return serial_compare(a.value, b.value);
  }
};

}  // namespace iscsi
