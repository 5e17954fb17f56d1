#include "core/cli/c_numbers.hpp"

#include <limits>

namespace iscsi::cli {
namespace {

bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

struct Sign {
  std::size_t pos = 0;
  bool negative = false;
};

// Leading blanks and an optional sign, as every strto* and atoi skip them.
Sign read_sign(std::string_view text) {
  Sign s;
  while (s.pos < text.size() && is_c_space(text[s.pos])) ++s.pos;
  if (s.pos < text.size() && (text[s.pos] == '+' || text[s.pos] == '-')) {
    s.negative = text[s.pos] == '-';
    ++s.pos;
  }
  return s;
}

struct Prefix {
  std::size_t pos = 0;
  bool negative = false;
  unsigned base = 10;
};

// The sign and the base-0 radix prefix. "0x" counts as a prefix only when a hex digit
// follows (strtoull("0x", ...) reads the "0").
Prefix read_prefix(std::string_view text) {
  Sign s = read_sign(text);
  Prefix p{s.pos, s.negative, 10};
  if (p.pos < text.size() && text[p.pos] == '0') {
    bool hex = p.pos + 2 < text.size() && (text[p.pos + 1] == 'x' || text[p.pos + 1] == 'X') &&
               digit_value(text[p.pos + 2]) < 16;
    if (hex) {
      p.base = 16;
      p.pos += 2;
    } else {
      p.base = 8;
    }
  }
  return p;
}

}  // namespace

std::optional<CNumber> c_strtoull(std::string_view text) {
  Prefix p = read_prefix(text);
  CNumber out;
  out.negative = p.negative;
  std::size_t digits = 0;
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = p.pos; i < text.size(); ++i) {
    int d = digit_value(text[i]);
    if (d >= static_cast<int>(p.base)) break;
    auto du = static_cast<std::uint64_t>(d);
    if (out.value > (max - du) / p.base) out.overflow = true;
    out.value = out.value * p.base + du;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (out.overflow) out.value = max;
  if (out.negative && !out.overflow) out.value = ~out.value + 1U;
  return out;
}

std::uint32_t c_strtol_to_uint(std::string_view text) {
  auto converted = c_strtoull(text);
  if (!converted) return 0;
  // strtol saturates at LONG_MAX / LONG_MIN; the conversion to unsigned int keeps the low
  // 32 bits of the result.
  constexpr std::uint64_t long_max = std::numeric_limits<std::int64_t>::max();
  std::uint64_t magnitude = converted->negative ? ~converted->value + 1U : converted->value;
  if (converted->overflow || magnitude > long_max) {
    return converted->negative ? 0U : 0xffffffffU;
  }
  return static_cast<std::uint32_t>(converted->value & 0xffffffffU);
}

int c_atoi(std::string_view text) {
  Sign s = read_sign(text);
  // The magnitude stops growing one past INT_MAX, which is -INT_MIN.
  constexpr std::int64_t limit = std::int64_t{std::numeric_limits<int>::max()} + 1;
  std::int64_t value = 0;
  for (std::size_t i = s.pos; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    value = value * 10 + (text[i] - '0');
    if (value >= limit) {
      value = limit;
      break;
    }
  }
  if (s.negative) return static_cast<int>(-value);
  return static_cast<int>(value == limit ? limit - 1 : value);
}

}  // namespace iscsi::cli
