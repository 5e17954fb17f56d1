#pragma once
// Values with units as a scenario writes them (docs/scenarios.md, Units): durations "100us",
// rates "1Gbps", sizes "64KiB", numbers "42" or "0x2a", IPv4 addresses and portals, hex bytes.
// Each parser returns nullopt for anything else (including values past its limit); the loader
// turns that into an error at the value's position.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::scenarios {

// Largest values accepted, so arithmetic on them cannot overflow.
inline constexpr std::uint64_t max_duration_ns = 7ULL * 24 * 3600 * 1'000'000'000;  // a week
inline constexpr std::uint64_t max_rate_bps = 10'000'000'000'000ULL;                // 10 Tbps
inline constexpr std::uint64_t max_size_bytes = 1ULL << 50;                         // 1 PiB
inline constexpr std::size_t max_hex_bytes = 1 << 20;

// Digits then a unit: ns, us, ms, s, min. "0" alone is zero.
std::optional<runtime::Duration> parse_duration(std::string_view text);
// Digits then a unit: bps, Kbps, Mbps, Gbps, Tbps (powers of 1000, as links are quoted).
std::optional<std::uint64_t> parse_rate(std::string_view text);
// Digits, optionally followed by B, KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB
// (powers of 1000).
std::optional<std::uint64_t> parse_size(std::string_view text);
// Decimal digits, or 0x and hex digits; at most `max`.
std::optional<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max);
// Dotted quad, each part 0..255 without leading zeros; host byte order.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
// "a.b.c.d" or "a.b.c.d:port" (port 1..65535; default `default_port`).
std::optional<runtime::Endpoint> parse_portal(std::string_view text, std::uint16_t default_port);
// Hex digits in pairs, optionally after 0x; spaces between pairs are ignored.
std::optional<Bytes> parse_hex(std::string_view text);

}  // namespace iscsi::scenarios
