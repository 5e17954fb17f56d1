#pragma once
// The C library's number conversions as tgt 1.0.85 uses them, reimplemented without locale
// or errno so that tgtadm's acceptance rules are reproduced exactly: strtoull/strtol with
// base 0 (leading blanks, a sign, 0x and 0 prefixes, trailing garbage ignored) and atoi.
#include <cstdint>
#include <optional>
#include <string_view>

namespace iscsi::target::config::c_numbers {

struct Converted {
  std::uint64_t value = 0;  // modulo 2^64 as strtoull returns it (a '-' negates)
  bool negative = false;    // a '-' sign was read
  bool overflow = false;    // the magnitude does not fit 64 bits (strtoull's ERANGE)
};

// strtoull(text, &end, 0): nullopt when no digit was read (end == text).
std::optional<Converted> strtoull_base0(std::string_view text);

// strtol(text, NULL, 0) then converted to `unsigned int`, as tgt's range_str_to_val does;
// text without digits yields 0.
std::uint32_t strtol_to_uint(std::string_view text);

// atoi(text): decimal, leading blanks and sign, 0 when no digit; saturates instead of the
// undefined behaviour of overflowing.
std::int64_t atoi(std::string_view text);

}  // namespace iscsi::target::config::c_numbers
