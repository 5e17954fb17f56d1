#pragma once
// IPv4 addresses and endpoints as people type them ("127.0.0.1", "127.0.0.1:3260"), shared by
// every command line, configuration file and URL that names one.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/runtime/stream.hpp"

namespace iscsi::runtime {

// Dotted-quad IPv4, exactly four decimal fields of 0..255 (at most three digits each, so no
// octal or hex forms, no leading or trailing text); host byte order.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t address);

// "IP" or "IP:PORT" (PORT 0..65535, decimal, at most five digits); `default_port` when there
// is no ":PORT". nullopt for anything else.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::uint16_t default_port);

}  // namespace iscsi::runtime
