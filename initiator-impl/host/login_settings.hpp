#pragma once
// Node and discovery records -> the client's LoginRequest: where to connect and from where, the
// names, CHAP, the operational offer (RFC 7143 §13) and the timeouts, as open-iscsi 2.1.8's
// iscsid reads them from a record (usr/initiator_common.c iscsi_setup_authentication,
// usr/idbm.c). Record files are user input: a value the protocol cannot use (an address that
// is not IPv4, a length out of range) is a clear error naming the key and the value.
#include <optional>
#include <string>
#include <string_view>

#include "initiator-impl/client/login_request.hpp"
#include "initiator-impl/iscsiadm/record.hpp"

namespace iscsi::initiator::host {

// A node login as iscsid would run it.
struct NodeLogin {
  client::LoginRequest request;
  // Attempts after the first one when the portal cannot be reached or answers class 3
  // (node.session.initial_login_retry_max).
  unsigned retry_max = 8;
};

// Exactly one of the two is set.
struct NodeLoginSettings {
  std::optional<NodeLogin> login;
  std::string error;  // "invalid value '-1' for node.conn[0].timeo.login_timeout: ..."
};

// `node` is the node record; `iface` the iface record it is bound to (its iface.ipaddress is
// the source address, its iface.initiatorname, when set, replaces `initiator_name`).
NodeLoginSettings node_login_settings(const iscsiadm::Record& node, const iscsiadm::Record& iface,
                                      std::string_view initiator_name);

struct DiscoveryLogin {
  client::LoginRequest request;
  // Connection attempts after the first one (discovery.sendtargets.reopen_max).
  unsigned reopen_max = 5;
};

struct DiscoveryLoginSettings {
  std::optional<DiscoveryLogin> login;
  std::string error;
};

// `discovery` is a send_targets record; `iface` the first -I iface (or "default").
DiscoveryLoginSettings discovery_login_settings(const iscsiadm::Record& discovery,
                                                const iscsiadm::Record& iface,
                                                std::string_view initiator_name);

// "SHA3-256,MD5" -> {8, 5} (node.session.auth.chap_algs, in preference order); nullopt for a
// name outside MD5, SHA1, SHA256, SHA3-256 or an empty list.
std::optional<std::vector<std::uint8_t>> chap_algorithms(std::string_view list);

}  // namespace iscsi::initiator::host
