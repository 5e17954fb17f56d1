#pragma once
// Initiator-address ACL entries (`tgtadm --op bind --mode target -I ...`).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "target-impl/config/model.hpp"

namespace iscsi::target::config {

// "ALL", "A.B.C.D" or "A.B.C.D/N" (N in 0..32). The network is stored masked, so
// "10.0.0.5/8" admits 10.x.y.z. tgt accepts any text here and silently never matches what it
// cannot parse (or a /32, or a CIDR with host bits set); we refuse what cannot match.
std::optional<AddressRule> parse_address_rule(std::string_view text);

// "64M", "40G", "512", "1T", "2KiB" (binary multiples; bytes without a suffix), for
// `--bstype ram` sizes. Nullopt for zero, garbage or more than max_ram_bytes.
inline constexpr std::uint64_t max_ram_bytes = std::uint64_t{1} << 46;  // 64 TiB, sparse
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace iscsi::target::config
