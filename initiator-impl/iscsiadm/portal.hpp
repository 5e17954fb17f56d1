#pragma once
// Portal strings as iscsiadm reads them.
#include <string>
#include <string_view>

namespace iscsi::initiator::iscsiadm {

inline constexpr int kDefaultPort = 3260;         // ISCSI_LISTEN_PORT
inline constexpr int kTpgtUnknown = -1;           // PORTAL_GROUP_TAG_UNKNOWN
inline constexpr int kPortUnset = -1;

// -p IP[:PORT][,TPGT] or [IPv6][:PORT][,TPGT] (usr/iscsi_util.c str_to_ipport): a missing
// port stays kPortUnset (the mode decides the default), a missing tag kTpgtUnknown.
struct PortalArg {
  std::string address;
  int port = kPortUnset;
  int tpgt = kTpgtUnknown;
};
PortalArg parse_portal_arg(std::string_view text);

// "IP:PORT" for IPv4 and names, "[IP]:PORT" for IPv6 (idbm_print_node_flat's rule: an
// address with a '.' prints bare).
std::string format_portal(std::string_view address, int port);

}  // namespace iscsi::initiator::iscsiadm
