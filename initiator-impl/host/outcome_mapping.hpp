#pragma once
// What the client reports -> what iscsiadm reports (digest §6.1, §6.2): the target's Login
// status, a failure the initiator detected itself (CHAP: 19 via local_auth; the rest:
// local_protocol), or the transport (refused, timed out, lost), and whether open-iscsi would
// try again (transport failures, Status-Class 3, LOGIN_IO_ERROR / LOGIN_REDIRECTION_FAILED).
#include "initiator-impl/client/client.hpp"
#include "initiator-impl/iscsiadm/outcome.hpp"

namespace iscsi::initiator::host {

struct MappedLogin {
  iscsiadm::LoginOutcome outcome;
  bool retryable = false;
};

MappedLogin map_login(const client::LoginOutcome& outcome);

struct MappedDiscovery {
  iscsiadm::DiscoveryFailure failure = iscsiadm::DiscoveryFailure::none;
  std::uint16_t status = 0;
  std::string reason;
  bool retryable = false;
};

MappedDiscovery map_discovery(const client::DiscoveryOutcome& outcome);

}  // namespace iscsi::initiator::host
