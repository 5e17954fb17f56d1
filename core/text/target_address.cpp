#include "core/text/target_address.hpp"

#include <fmt/format.h>

#include "core/text/text_violations.hpp"

namespace iscsi::text {
namespace {

Violation bad_address(std::string_view value, std::string_view why) {
  return Violation{kBadTargetAddress,
                   fmt::format("TargetAddress '{}' {}", value.substr(0, 80), why)};
}

// A decimal number up to 65535, digits only (RFC 7143 §13.8 port and portal group tag).
std::optional<std::uint16_t> parse_u16(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  std::uint32_t number = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    number = number * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (number > UINT16_MAX) return std::nullopt;
  return static_cast<std::uint16_t>(number);
}

// Splits off the host; returns the rest (":port,tag" or ",tag" or "").
Result<std::string_view> split_host(std::string_view value, std::string& host) {
  if (!value.empty() && value[0] == '[') {
    const std::size_t close = value.find(']');
    if (close == std::string_view::npos) return bad_address(value, "has an unclosed '['");
    host = std::string(value.substr(1, close - 1));
    return value.substr(close + 1);
  }
  const std::size_t end = value.find_first_of(":,");
  host = std::string(value.substr(0, end));
  return end == std::string_view::npos ? std::string_view{} : value.substr(end);
}

}  // namespace

Result<TargetAddress> parse_target_address(std::string_view value) {
  TargetAddress address;
  auto rest = split_host(value, address.host);
  if (!rest) return std::move(rest).error();
  if (address.host.empty()) return bad_address(value, "has an empty host");
  std::string_view tail = *rest;
  if (!tail.empty() && tail[0] == ':') {
    const std::size_t comma = tail.find(',');
    const auto port = parse_u16(tail.substr(1, comma == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : comma - 1));
    if (!port) return bad_address(value, "has a port that is not a number up to 65535");
    address.port = *port;
    address.port_given = true;
    tail = comma == std::string_view::npos ? std::string_view{} : tail.substr(comma);
  }
  if (!tail.empty() && tail[0] == ',') {
    const auto tag = parse_u16(tail.substr(1));
    if (!tag) return bad_address(value, "has a portal group tag that is not a number up to 65535");
    address.portal_group_tag = *tag;
    tail = {};
  }
  if (!tail.empty()) return bad_address(value, "has unexpected characters after the host");
  return address;
}

std::string format_target_address(const TargetAddress& address) {
  std::string out = address.host.find(':') != std::string::npos ? "[" + address.host + "]"
                                                                 : address.host;
  if (address.port_given || address.port != kDefaultIscsiPort) {
    out += fmt::format(":{}", address.port);
  }
  if (address.portal_group_tag) out += fmt::format(",{}", *address.portal_group_tag);
  return out;
}

}  // namespace iscsi::text
