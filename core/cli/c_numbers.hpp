#pragma once
// The C library's number conversions as tgt 1.0.85 and open-iscsi 2.1.8 use them on their
// command lines, reimplemented without locale or errno so that their acceptance rules are
// reproduced exactly: strtoull/strtol with base 0 (leading blanks, a sign, 0x and 0
// prefixes, trailing garbage ignored) and atoi.
#include <cstdint>
#include <optional>
#include <string_view>

namespace iscsi::cli {

struct CNumber {
  std::uint64_t value = 0;  // modulo 2^64 as strtoull returns it (a '-' negates)
  bool negative = false;    // a '-' sign was read
  bool overflow = false;    // the magnitude does not fit 64 bits (strtoull's ERANGE)
};

// strtoull(text, &end, 0): nullopt when no digit was read (end == text).
std::optional<CNumber> c_strtoull(std::string_view text);

// strtol(text, NULL, 0) then converted to `unsigned int` (tgt's range_str_to_val); text
// without digits yields 0.
std::uint32_t c_strtol_to_uint(std::string_view text);

// atoi(text): decimal, leading blanks and a sign, 0 when there is no digit; saturates at
// INT_MAX / INT_MIN instead of the undefined behaviour of overflowing.
int c_atoi(std::string_view text);

}  // namespace iscsi::cli
