#pragma once
// TargetAddress values (RFC 7143 §13.8): domainname[:port][,portal-group-tag], where domainname
// is a DNS name, a dotted-decimal IPv4 address or a bracketed IPv6 literal
// ("[2001:db8::1]:3260,1"). The port defaults to 3260; SendTargets output carries the portal
// group tag, redirections may omit it (C106).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/result.hpp"

namespace iscsi::text {

inline constexpr std::uint16_t kDefaultIscsiPort = 3260;

struct TargetAddress {
  std::string host;  // without brackets for IPv6 literals
  std::uint16_t port = kDefaultIscsiPort;
  bool port_given = false;  // whether the text named the port (format keeps it as received)
  std::optional<std::uint16_t> portal_group_tag;
  bool operator==(const TargetAddress&) const = default;
};

// Fails with text.bad-target-address on an empty host, an unclosed bracket, a port or tag
// that is not a decimal number up to 65535, or trailing characters.
Result<TargetAddress> parse_target_address(std::string_view value);

// The text form; IPv6 hosts (any host holding ':') are bracketed; the port is written when it
// was given or is not 3260.
std::string format_target_address(const TargetAddress& address);

}  // namespace iscsi::text
