#pragma once
// What one iscsiadm command line asks for, after open-iscsi 2.1.8's main() has read it.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "initiator-impl/iscsiadm/portal.hpp"

namespace iscsi::initiator::iscsiadm {

enum class Mode { discovery, discoverydb, node, session, iface, fw, host };

// -t: str_to_type(); an unknown word leaves the type unset, as in iscsiadm.
enum class DiscoveryType { sendtargets, slp, isns, fw };

// -o may be given several times; iscsiadm ORs the bits (enum iscsiadm_op).
enum OpBits : unsigned {
  op_noop = 0x0,
  op_new = 0x1,
  op_delete = 0x2,
  op_update = 0x4,
  op_show = 0x8,
  op_nonpersistent = 0x10,
  op_apply = 0x20,
  op_apply_all = 0x40,
};

struct Request {
  Mode mode = Mode::node;
  std::optional<DiscoveryType> type;
  std::optional<PortalArg> portal;                 // -p, port still unset when not given
  std::optional<std::string> targetname;           // -T
  std::vector<std::string> ifaces;                 // -I, in order
  unsigned ops = op_noop;                          // -o, OR of OpBits
  std::vector<std::pair<std::string, std::string>> params;  // -n/-v pairs, in order
  bool login = false;                              // -l
  bool logout = false;                             // -u
  bool discover = false;                           // -D
  bool rescan = false;                             // -R
  bool stats = false;                              // -s
  bool show = false;                               // -S: print secrets unmasked
  std::optional<std::string> login_all;            // -L all|manual|automatic|onboot
  std::optional<std::string> logout_all;           // -U all|manual|automatic
  int print_level = -1;                            // -P (info_level)
  int debug_level = 0;                             // -d (log_level)
  std::optional<int> sid;                          // -r
  std::optional<std::string> host;                 // -H
  std::optional<int> kill_priority;                // -k
};

// The portal with the default port filled in as node and discovery modes do.
inline int port_or_default(const PortalArg& portal) {
  return portal.port == kPortUnset ? kDefaultPort : portal.port;
}

}  // namespace iscsi::initiator::iscsiadm
