#pragma once
// iscsi-iname (utils/iscsi-iname.c of open-iscsi 2.1.8): "iqn.2016-04.com.open-iscsi:" and six
// random bytes, each printed with %x, so without zero padding ("a0b1c2d3e4f5", "5ff3..."):
// 6 to 12 hex digits. Randomness only through the injected Rng.
#include <string>
#include <string_view>

#include "core/runtime/rng.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::string_view kDefaultInamePrefix = "iqn.2016-04.com.open-iscsi";
// Debian's open-iscsi.postinst writes /etc/iscsi/initiatorname.iscsi with
// `iscsi-iname -p iqn.1993-08.org.debian:01` (iscsi-iname itself keeps the upstream default).
inline constexpr std::string_view kDebianInamePrefix = "iqn.1993-08.org.debian:01";

std::string make_initiator_name(runtime::Rng& rng,
                                std::string_view prefix = kDefaultInamePrefix);

}  // namespace iscsi::initiator::iscsiadm
