#include "core/text/values.hpp"

#include <fmt/format.h>

#include "core/text/binary_value.hpp"
#include "core/text/text_violations.hpp"

namespace iscsi::text {
namespace {

constexpr std::size_t kMaxNumberBytes = 8;  // RFC 7143 §6.1: numerical values are < 2^64

std::string shown(std::string_view value) {
  constexpr std::size_t kShown = 40;
  return std::string(value.substr(0, kShown)) + (value.size() > kShown ? "..." : "");
}

Violation bad_number(std::string_view value, std::string_view why) {
  return Violation{kBadNumericValue,
                   fmt::format("numerical value '{}' {}", shown(value), why)};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::uint64_t> parse_decimal(std::string_view value) {
  std::uint64_t number = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return bad_number(value, "has a non-decimal character");
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (number > (UINT64_MAX - digit) / 10) return bad_number(value, "is not below 2^64");
    number = number * 10 + digit;
  }
  return number;
}

Result<std::uint64_t> parse_hex_number(std::string_view value) {
  const std::string_view digits = value.substr(2);
  if (digits.empty()) return bad_number(value, "has no hex digits");
  std::uint64_t number = 0;
  for (const char c : digits) {
    const int digit = hex_digit(c);
    if (digit < 0) return bad_number(value, "has a non-hex digit");
    if (number > (UINT64_MAX >> 4)) return bad_number(value, "is not below 2^64");
    number = (number << 4) | static_cast<std::uint64_t>(digit);
  }
  return number;
}

Result<std::uint64_t> parse_base64_number(std::string_view value) {
  auto bytes = decode_binary_value(value, kMaxNumberBytes);
  if (!bytes) return bad_number(value, fmt::format("is not a base64 number below 2^64 ({})",
                                                   bytes.error().detail));
  std::uint64_t number = 0;
  for (const std::uint8_t byte : *bytes) number = (number << 8) | byte;
  return number;
}

Result<std::uint64_t> parse_unsigned(std::string_view value) {
  if (value.empty()) return bad_number(value, "is empty");
  if (value.size() > 1 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X')) {
    return parse_hex_number(value);
  }
  if (value.size() > 1 && value[0] == '0' && (value[1] == 'b' || value[1] == 'B')) {
    return parse_base64_number(value);
  }
  return parse_decimal(value);
}

}  // namespace

std::optional<ReservedAnswer> as_reserved_answer(std::string_view value) {
  if (value == kReject) return ReservedAnswer::reject;
  if (value == kIrrelevant) return ReservedAnswer::irrelevant;
  if (value == kNotUnderstood) return ReservedAnswer::not_understood;
  return std::nullopt;
}

std::string_view to_string(ReservedAnswer answer) {
  switch (answer) {
    case ReservedAnswer::reject:
      return kReject;
    case ReservedAnswer::irrelevant:
      return kIrrelevant;
    case ReservedAnswer::not_understood:
      return kNotUnderstood;
  }
  return kReject;
}

Result<std::uint64_t> parse_number(std::string_view value) { return parse_unsigned(value); }

std::string format_number(std::uint64_t number) { return fmt::format("{}", number); }

Result<bool> parse_boolean(std::string_view value) {
  if (value == kYes) return true;
  if (value == kNo) return false;
  return Violation{kBadBooleanValue,
                   fmt::format("boolean value '{}' is neither Yes nor No", shown(value))};
}

std::string_view format_boolean(bool value) { return value ? kYes : kNo; }

Result<std::vector<std::string_view>> parse_list(std::string_view value) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  // Each iteration consumes one item and its comma, so the loop ends within value.size().
  while (true) {
    const std::size_t comma = value.find(',', start);
    const std::string_view item = value.substr(start, comma == std::string_view::npos
                                                          ? std::string_view::npos
                                                          : comma - start);
    if (item.empty()) {
      return Violation{kBadListValue,
                       fmt::format("list '{}' has an empty item", shown(value))};
    }
    if (items.size() == kMaxListItems) {
      return Violation{kBadListValue, fmt::format("list '{}' has more than {} items",
                                                  shown(value), kMaxListItems)};
    }
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

std::string join_list(std::span<const std::string> items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(',');
    out += item;
  }
  return out;
}

Result<NumericRange> parse_numeric_range(std::string_view value) {
  const std::size_t tilde = value.find('~');
  const auto bad = [&](std::string_view why) {
    return Violation{kBadRangeValue, fmt::format("range '{}' {}", shown(value), why)};
  };
  if (tilde == std::string_view::npos) return bad("has no '~'");
  auto low = parse_unsigned(value.substr(0, tilde));
  auto high = parse_unsigned(value.substr(tilde + 1));
  if (!low || !high) return bad("does not hold two numerical values");
  if (*high < *low) return bad("has its upper bound below its lower bound");
  return NumericRange{*low, *high};
}

std::string format_numeric_range(NumericRange range) {
  return fmt::format("{}~{}", range.low, range.high);
}

}  // namespace iscsi::text
