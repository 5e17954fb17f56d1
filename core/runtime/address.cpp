#include "core/runtime/address.hpp"

namespace iscsi::runtime {
namespace {

// Reads 1..max_digits decimal digits at `pos`; nullopt when there is none or too many.
std::optional<std::uint32_t> read_decimal(std::string_view text, std::size_t& pos,
                                          std::size_t max_digits) {
  const std::size_t start = pos;
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

std::optional<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port) {
  const std::size_t colon = text.find(':');
  const auto ip = parse_ipv4(text.substr(0, colon));
  if (!ip) return std::nullopt;
  if (colon == std::string_view::npos) return Endpoint{*ip, default_port};
  std::size_t pos = colon + 1;
  const auto port = read_decimal(text, pos, 5);
  if (!port || *port > 65535U || pos != text.size()) return std::nullopt;
  return Endpoint{*ip, static_cast<std::uint16_t>(*port)};
}

}  // namespace iscsi::runtime
