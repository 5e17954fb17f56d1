#include "initiator-impl/iscsiadm/portal.hpp"

#include <fmt/format.h>

#include <climits>

namespace iscsi::initiator::iscsiadm {

int c_atoi(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  long long value = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    value = value * 10 + (text[i] - '0');
    if (value > INT_MAX) {
      value = static_cast<long long>(INT_MAX) + (negative ? 1 : 0);
      break;
    }
  }
  return static_cast<int>(negative ? -value : value);
}

PortalArg parse_portal_arg(std::string_view text) {
  PortalArg portal;
  std::string_view rest = text;
  // The portal group tag follows the last ',' (str_to_ipport strips it first).
  if (std::size_t comma = rest.rfind(','); comma != std::string_view::npos) {
    portal.tpgt = c_atoi(rest.substr(comma + 1));
    rest = rest.substr(0, comma);
  }
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      portal.address = std::string(rest.substr(1));
      return portal;
    }
    portal.address = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() == ':') portal.port = c_atoi(after.substr(1));
    return portal;
  }
  // One ':' separates the port; several mean a bare IPv6 address without a port.
  std::size_t colon = rest.find(':');
  if (colon != std::string_view::npos && rest.find(':', colon + 1) == std::string_view::npos) {
    portal.address = std::string(rest.substr(0, colon));
    portal.port = c_atoi(rest.substr(colon + 1));
    return portal;
  }
  portal.address = std::string(rest);
  return portal;
}

std::string format_portal(std::string_view address, int port) {
  if (address.find('.') != std::string_view::npos || address.find(':') == std::string_view::npos) {
    return fmt::format("{}:{}", address, port);
  }
  return fmt::format("[{}]:{}", address, port);
}

}  // namespace iscsi::initiator::iscsiadm
