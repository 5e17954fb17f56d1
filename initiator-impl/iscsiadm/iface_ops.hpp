#pragma once
// `iscsiadm -m iface` (usr/iscsiadm.c exec_iface_op, usr/iface.c): iface records under
// ifaces/<name>; "default" (software iSCSI over TCP, no bound address) always exists and is
// never stored. iface.ipaddress is the source address a login through the iface binds.
#include <optional>
#include <string_view>

#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/record.hpp"
#include "initiator-impl/iscsiadm/report.hpp"
#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::string_view kDefaultIface = "default";
inline constexpr std::size_t kMaxIfaces = 256;

Record default_iface();
// The named iface: "default", or the stored record; nullopt when there is none.
std::optional<Record> read_iface(const FileStore& files, std::string_view name);

// Runs an iface-mode request: -o new|delete|update|show, or the list without -I. Node
// records bound to an updated iface take its new values, and records bound to a deleted
// iface are deleted with it (unless a session uses them).
Report run_iface(NodeDb& db, const Request& request, const SessionProbe& has_session);

}  // namespace iscsi::initiator::iscsiadm
