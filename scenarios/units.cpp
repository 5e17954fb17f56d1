#include "scenarios/units.hpp"

#include <array>
#include <utility>

namespace iscsi::scenarios {
namespace {

struct Unit {
  std::string_view suffix;
  std::uint64_t factor;
};

// Splits "123abc" into 123 and "abc"; nullopt without digits or when the digits overflow.
std::optional<std::pair<std::uint64_t, std::string_view>> split_number(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10U + digit;
    ++i;
  }
  if (i == 0) return std::nullopt;
  return std::pair{value, text.substr(i)};
}

template <std::size_t N>
std::optional<std::uint64_t> with_unit(std::string_view text, const std::array<Unit, N>& units,
                                       std::uint64_t max, bool unit_required) {
  auto split = split_number(text);
  if (!split) return std::nullopt;
  auto [value, suffix] = *split;
  if (suffix.empty()) {
    if (unit_required && value != 0) return std::nullopt;
    return value <= max ? std::optional<std::uint64_t>(value) : std::nullopt;
  }
  for (const Unit& unit : units) {
    if (suffix != unit.suffix) continue;
    if (value > max / unit.factor) return std::nullopt;
    return value * unit.factor;
  }
  return std::nullopt;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<runtime::Duration> parse_duration(std::string_view text) {
  static constexpr std::array<Unit, 5> units = {
      {{"ns", 1}, {"us", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}, {"min", 60'000'000'000}}};
  auto ns = with_unit(text, units, max_duration_ns, true);
  if (!ns) return std::nullopt;
  return runtime::Duration(static_cast<runtime::Duration::rep>(*ns));
}

std::optional<std::uint64_t> parse_rate(std::string_view text) {
  static constexpr std::array<Unit, 5> units = {{{"bps", 1},
                                                 {"Kbps", 1'000},
                                                 {"Mbps", 1'000'000},
                                                 {"Gbps", 1'000'000'000},
                                                 {"Tbps", 1'000'000'000'000}}};
  return with_unit(text, units, max_rate_bps, true);
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  static constexpr std::array<Unit, 9> units = {{{"B", 1},
                                                 {"KiB", 1ULL << 10},
                                                 {"MiB", 1ULL << 20},
                                                 {"GiB", 1ULL << 30},
                                                 {"TiB", 1ULL << 40},
                                                 {"KB", 1'000},
                                                 {"MB", 1'000'000},
                                                 {"GB", 1'000'000'000},
                                                 {"TB", 1'000'000'000'000}}};
  return with_unit(text, units, max_size_bytes, false);
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string_view digits = text.substr(2);
    if (digits.size() > 16) return std::nullopt;
    for (char c : digits) {
      int digit = hex_digit(c);
      if (digit < 0) return std::nullopt;
      value = value << 4U | static_cast<std::uint64_t>(digit);
    }
  } else {
    auto split = split_number(text);
    if (!split || !split->second.empty()) return std::nullopt;
    value = split->first;
  }
  if (value > max) return std::nullopt;
  return value;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (text.empty() || text[0] != '.') return std::nullopt;
      text.remove_prefix(1);
    }
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 3 || (digits > 1 && text[0] == '0')) return std::nullopt;
    auto value = parse_unsigned(text.substr(0, digits), 255);
    if (!value) return std::nullopt;
    address = address << 8U | static_cast<std::uint32_t>(*value);
    text.remove_prefix(digits);
  }
  if (!text.empty()) return std::nullopt;
  return address;
}

std::optional<runtime::Endpoint> parse_portal(std::string_view text, std::uint16_t default_port) {
  std::size_t colon = text.find(':');
  auto address = parse_ipv4(text.substr(0, colon));
  if (!address) return std::nullopt;
  runtime::Endpoint endpoint{*address, default_port};
  if (colon == std::string_view::npos) return endpoint;
  std::string_view port_text = text.substr(colon + 1);
  auto port = parse_unsigned(port_text, 65535);
  if (!port || *port == 0 || port_text.size() > 5 || port_text[0] == '0') return std::nullopt;
  endpoint.port = static_cast<std::uint16_t>(*port);
  return endpoint;
}

std::optional<Bytes> parse_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
  }
  Bytes bytes;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t') {
      ++i;
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    int high = hex_digit(text[i]);
    int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0 || bytes.size() >= max_hex_bytes) return std::nullopt;
    bytes.push_back(static_cast<std::uint8_t>(high << 4 | low));
    i += 2;
  }
  return bytes;
}

}  // namespace iscsi::scenarios
