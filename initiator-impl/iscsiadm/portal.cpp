#include "initiator-impl/iscsiadm/portal.hpp"

#include <fmt/format.h>

#include "core/cli/c_numbers.hpp"

namespace iscsi::initiator::iscsiadm {

using cli::c_atoi;

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
