#include "target-impl/config/acl.hpp"

#include "core/runtime/address.hpp"

#include <array>

namespace iscsi::target::config {
namespace {

// The N of "/N": one or two decimal digits, at most 32.
std::optional<std::uint8_t> parse_prefix_length(std::string_view text) {
  if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != text.npos) {
    return std::nullopt;
  }
  const int value = text.size() == 1 ? text[0] - '0' : (text[0] - '0') * 10 + (text[1] - '0');
  if (value > 32) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

}  // namespace

std::optional<AddressRule> parse_address_rule(std::string_view text) {
  AddressRule rule;
  rule.text = std::string(text);
  if (text == "ALL") {
    rule.all = true;
    rule.prefix_length = 0;
    return rule;
  }
  std::size_t slash = text.find('/');
  auto address = runtime::parse_ipv4(text.substr(0, slash));
  if (!address) return std::nullopt;
  rule.prefix_length = 32;
  if (slash != std::string_view::npos) {
    auto prefix = parse_prefix_length(text.substr(slash + 1));
    if (!prefix) return std::nullopt;
    rule.prefix_length = *prefix;
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
