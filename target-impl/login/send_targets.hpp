#pragma once
// SendTargets answers (RFC 7143 §4.3, Appendix C; digest §3.4): TargetName and TargetAddress
// pairs for the targets the initiator may log in to (tgt hides the others, and so do both our
// profiles). Used by a Discovery session's Text Requests and by SendTargets= in a normal session.
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/runtime/stream.hpp"
#include "core/text/key_value.hpp"
#include "target-impl/config/model.hpp"

namespace iscsi::target::login {

struct SendTargetsQuery {
  // "All", an iSCSI name, or "" (the current target only, normal sessions: RFC 7143 §13.3).
  std::string_view value;
  std::uint32_t initiator_ipv4 = 0;
  std::string_view initiator_name;
  // The target of the asking normal session, for value ""; nullptr in a Discovery session.
  const config::TargetConfig* session_target = nullptr;
  // Listening portals, each reported as TargetAddress=IP:PORT,TPGT.
  std::vector<runtime::Endpoint> portals;
  std::uint16_t target_portal_group_tag = 1;
};

// The key=value pairs of the answer, in target id order. An empty list is a valid answer.
text::KeyValueList answer_send_targets(const config::SystemConfig& system,
                                       const SendTargetsQuery& query);

}  // namespace iscsi::target::login
