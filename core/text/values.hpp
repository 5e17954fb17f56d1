#pragma once
// Value helpers for text keys (RFC 7143 §6.1, §6.2): numbers (decimal, hex 0x, base64 0b),
// booleans, lists, numeric ranges, and the reserved values.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"

namespace iscsi::text {

// RFC 7143 §6.2: reserved values. "None" is also an ordinary value of some lists
// (HeaderDigest, AuthMethod); the other three are answers only, never offers.
inline constexpr std::string_view kNone = "None";
inline constexpr std::string_view kReject = "Reject";
inline constexpr std::string_view kIrrelevant = "Irrelevant";
inline constexpr std::string_view kNotUnderstood = "NotUnderstood";
inline constexpr std::string_view kYes = "Yes";
inline constexpr std::string_view kNo = "No";

enum class ReservedAnswer { reject, irrelevant, not_understood };

// Reject, Irrelevant or NotUnderstood (case-sensitive, RFC 7143 §6.1), else nullopt.
std::optional<ReservedAnswer> as_reserved_answer(std::string_view value);
std::string_view to_string(ReservedAnswer answer);

// RFC 7143 §6.1 numerical-value: decimal-constant, hex-constant ("0x"/"0X", any number of
// digits, odd counts included) or base64-constant ("0b"/"0B", at most 8 bytes), always less
// than 2^64 (C078). Leading zeros are accepted. Fails with text.bad-numeric-value.
Result<std::uint64_t> parse_number(std::string_view value);
std::string format_number(std::uint64_t number);

// RFC 7143 §6.1 boolean-value: exactly "Yes" or "No". Fails with text.bad-boolean-value.
Result<bool> parse_boolean(std::string_view value);
std::string_view format_boolean(bool value);

// RFC 7143 §6.1 list-of-values: comma-separated, in order of preference. An empty value or
// an empty item ("a,,b", "a,") fails with text.bad-list-value. The views point into `value`.
// At most kMaxListItems items (a value is at most 255 bytes, so 128 is never reached
// by a legal list).
inline constexpr std::size_t kMaxListItems = 128;
Result<std::vector<std::string_view>> parse_list(std::string_view value);
std::string join_list(std::span<const std::string> items);

// RFC 7143 §6.1 numeric-range: "low~high" with low <= high (only the obsolete marker-interval
// keys use it). Fails with text.bad-range-value.
struct NumericRange {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool operator==(const NumericRange&) const = default;
};
Result<NumericRange> parse_numeric_range(std::string_view value);
std::string format_numeric_range(NumericRange range);

}  // namespace iscsi::text
