#include "target-impl/config/acl.hpp"

#include <array>

namespace iscsi::target::config {
namespace {

// Reads 1..max_digits decimal digits at `pos`; nullopt when there is none or too many.
std::optional<std::uint32_t> read_decimal(std::string_view text, std::size_t& pos,
                                          std::size_t max_digits) {
  std::size_t start = pos;
  std::uint32_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (pos - start >= max_digits) return std::nullopt;
    value = value * 10U + static_cast<std::uint32_t>(text[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::size_t pos = 0;
  std::uint32_t address = 0;
  for (int field = 0; field < 4; ++field) {
    if (field > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    auto octet = read_decimal(text, pos, 3);
    if (!octet || *octet > 255U) return std::nullopt;
    address = (address << 8U) | *octet;
  }
  if (pos != text.size()) return std::nullopt;
  return address;
}

std::string format_ipv4(std::uint32_t address) {
  return std::to_string(address >> 24U) + "." + std::to_string((address >> 16U) & 0xffU) + "." +
         std::to_string((address >> 8U) & 0xffU) + "." + std::to_string(address & 0xffU);
}

std::optional<AddressRule> parse_address_rule(std::string_view text) {
  AddressRule rule;
  rule.text = std::string(text);
  if (text == "ALL") {
    rule.all = true;
    rule.prefix_length = 0;
    return rule;
  }
  std::size_t slash = text.find('/');
  auto address = parse_ipv4(text.substr(0, slash));
  if (!address) return std::nullopt;
  rule.prefix_length = 32;
  if (slash != std::string_view::npos) {
    std::string_view prefix_text = text.substr(slash + 1);
    std::size_t pos = 0;
    auto prefix = read_decimal(prefix_text, pos, 2);
    if (!prefix || pos != prefix_text.size() || *prefix > 32U) return std::nullopt;
    rule.prefix_length = static_cast<std::uint8_t>(*prefix);
  }
  std::uint32_t mask =
      rule.prefix_length == 0 ? 0U : ~((std::uint32_t{1} << (32U - rule.prefix_length)) - 1U);
  if (rule.prefix_length == 32) mask = 0xffffffffU;
  rule.network = *address & mask;
  return rule;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t pos = 0;
  std::uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (pos >= 20) return std::nullopt;
    value = value * 10U + static_cast<std::uint64_t>(text[pos] - '0');
    if (value > max_ram_bytes) return std::nullopt;
    ++pos;
  }
  if (pos == 0) return std::nullopt;
  std::string_view suffix = text.substr(pos);
  static constexpr std::array<std::pair<char, unsigned>, 5> units{
      {{'K', 10U}, {'M', 20U}, {'G', 30U}, {'T', 40U}, {'P', 50U}}};
  unsigned shift = 0;
  if (!suffix.empty()) {
    char unit = suffix[0] >= 'a' && suffix[0] <= 'z' ? static_cast<char>(suffix[0] - 32) : suffix[0];
    bool known = false;
    for (auto [letter, bits] : units) {
      if (letter == unit) {
        shift = bits;
        known = true;
      }
    }
    std::string_view rest = suffix.substr(1);
    if (!known || !(rest.empty() || rest == "B" || rest == "iB")) return std::nullopt;
  }
  if (value == 0 || value > (max_ram_bytes >> shift)) return std::nullopt;
  return value << shift;
}

}  // namespace iscsi::target::config
