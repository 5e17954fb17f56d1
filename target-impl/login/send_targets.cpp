#include "target-impl/login/send_targets.hpp"

#include <fmt/format.h>

#include "core/text/send_targets.hpp"
#include "core/text/target_address.hpp"

namespace iscsi::target::login {
namespace {

// TargetAddress=IP:PORT,TPGT for every listening portal (RFC 7143 §13.8; in SendTargets
// answers the portal group tag is always present, digest §3.4).
std::vector<text::TargetAddress> addresses(const SendTargetsQuery& query) {
  std::vector<text::TargetAddress> out;
  out.reserve(query.portals.size());
  for (const runtime::Endpoint& portal : query.portals) {
    text::TargetAddress address;
    address.host = fmt::format("{}.{}.{}.{}", (portal.ipv4 >> 24) & 0xffU,
                               (portal.ipv4 >> 16) & 0xffU, (portal.ipv4 >> 8) & 0xffU,
                               portal.ipv4 & 0xffU);
    address.port = portal.port;
    address.port_given = true;  // tgt and LIO always write the port
    address.portal_group_tag = query.target_portal_group_tag;
    out.push_back(std::move(address));
  }
  return out;
}

// Both profiles list only the targets the initiator may log in to (RFC 7143 §13.3 allows
// either; tgt hides the others: C114).
bool visible(const config::TargetConfig& target, const SendTargetsQuery& query) {
  return config::admits(target, query.initiator_ipv4, query.initiator_name);
}

}  // namespace

text::KeyValueList answer_send_targets(const config::SystemConfig& system,
                                       const SendTargetsQuery& query) {
  const text::SendTargetsQuery parsed = text::parse_send_targets_query(query.value);
  std::vector<text::SendTargetsRecord> records;
  const auto add = [&](const config::TargetConfig& target) {
    if (visible(target, query)) records.push_back({target.name, addresses(query)});
  };
  switch (parsed.scope) {
    case text::SendTargetsScope::all:
      // RFC 7143 §13.3: All is for Discovery sessions; in a Normal session the answer is
      // limited to the session's own target (C110).
      if (query.session_target != nullptr) {
        add(*query.session_target);
      } else {
        for (const auto& [tid, target] : system.targets) add(target);
      }
      break;
    case text::SendTargetsScope::named_target:
      // An unknown or hidden name gets an empty answer (C108).
      if (const config::TargetConfig* target = system.find_target(parsed.target_name)) {
        add(*target);
      }
      break;
    case text::SendTargetsScope::session_target:
      // SendTargets= (empty) names the session's own target (C109); in a Discovery session
      // there is none, so the answer is empty.
      if (query.session_target != nullptr) add(*query.session_target);
      break;
  }
  return text::encode_send_targets_response(records);
}

}  // namespace iscsi::target::login
