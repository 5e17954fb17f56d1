// The originator's side: our declarations and offers, and the end of a stage
// (RFC 7143 §6.2, §6.3).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/negotiator.hpp"
#include "core/negotiation/receiver.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation {
namespace {

// Declarations a side makes about itself (RFC 7143 §13.4-§13.9, §13.21, §13.26).
text::KeyValueList declarations(const LocalPolicy& policy, Role role) {
  text::KeyValueList pairs;
  const auto add = [&](std::string_view key, std::string value) {
    if (!value.empty()) pairs.push_back(text::KeyValue{std::string(key), std::move(value)});
  };
  if (role == Role::initiator) {
    add("InitiatorName", policy.initiator_name);
    add("InitiatorAlias", policy.initiator_alias);
    add("TargetName", policy.target_name);
    const bool declare_type =
        policy.declare_session_type || policy.session_type != SessionType::normal;
    add("SessionType", declare_type ? std::string(to_string(policy.session_type)) : "");
  } else {
    add("TargetPortalGroupTag", policy.target_portal_group_tag
                                    ? text::format_number(*policy.target_portal_group_tag)
                                    : "");
    add("TargetAlias", policy.target_alias);
  }
  std::vector<std::string> architecture = policy.node_architecture;
  add("X#NodeArchitecture", text::join_list(architecture));
  return pairs;
}

text::KeyValueList candidates(const LocalPolicy& policy, const NegotiationContext& context) {
  text::KeyValueList pairs = declarations(policy, context.local_role);
  if (context.phase == Phase::security && context.local_role == Role::initiator) {
    pairs.push_back(text::KeyValue{"AuthMethod", text::join_list(policy.auth_methods)});
  }
  if (policy.declare_max_recv_data_segment_length) {
    pairs.push_back(text::KeyValue{"MaxRecvDataSegmentLength",
                                   text::format_number(policy.max_recv_data_segment_length)});
  }
  for (const auto& key : policy.offer_keys) {
    if (auto value = policy_value(policy, key)) pairs.push_back(text::KeyValue{key, *value});
  }
  return pairs;
}

// A key the peer sent is answered, not offered, except a declarative one: each side declares
// MaxRecvDataSegmentLength for its own receiving direction (RFC 7143 §6.2, §13.12), so the
// peer's declaration does not stand in for ours.
bool already_sent(const KeyRow& row, const NegotiationState& state, Role local_role) {
  const KeyRecord* record = state.find(row.name);
  if (record == nullptr) return false;
  if (row.function != ResultFunction::declarative) return true;
  return record->value_from(local_role).has_value();
}

bool worth_offering(const KeyRow& row, const NegotiationState& state,
                    const NegotiationContext& context, bool discovery) {
  if ((allowed_phases(row, context.local_role) & phase_bit(context.phase)) == 0) return false;
  if (!may_send(row, context.local_role) || already_sent(row, state, context.local_role)) {
    return false;
  }
  // RFC 7143 §13: LO keys (SessionType included) belong to the leading connection's login.
  if (row.use == Use::leading_only && !context.leading_connection) return false;
  return !(discovery && row.irrelevant_in_discovery);
}

// An unanswered offer whose answer was optional takes the offered value (RFC 7143 §6.2.2).
bool optional_answer(const KeyRow& row, const std::string& offer) {
  return (row.function == ResultFunction::logical_and && offer == text::kNo) ||
         (row.function == ResultFunction::logical_or && offer == text::kYes);
}

}  // namespace

namespace detail {

// C059: FirstBurstLength never ends above MaxBurstLength. Only the side that answered can be
// blamed: when the peer originated both keys (or one arrived in a later PDU than our answer to
// the other), lowering FirstBurstLength is the only consistent outcome.
void enforce_burst_order(Outcome& outcome, Role local_role) {
  SessionParameters& session = outcome.state.session;
  if (session.first_burst_length <= session.max_burst_length) return;
  const KeyRecord* first = outcome.state.find("FirstBurstLength");
  if (first != nullptr && first->result && first->originator == local_role) {
    outcome.violations.push_back(Violation{
        kFirstBurstExceedsMaxBurst,
        fmt::format("the {}'s answers give FirstBurstLength {} above MaxBurstLength {}",
                    to_string(peer_of(local_role)), session.first_burst_length,
                    session.max_burst_length)});
  }
  session.first_burst_length = session.max_burst_length;
}

}  // namespace detail

Offer make_offer(const NegotiationState& state, const LocalPolicy& policy,
                 const NegotiationContext& context) {
  if (context.phase == Phase::full_feature) return Offer{state, {}};
  // The initiator's own SessionType declaration may be in this very offer.
  const bool discovery = state.session.session_type == SessionType::discovery ||
                         (context.local_role == Role::initiator &&
                          policy.session_type == SessionType::discovery);
  text::KeyValueList chosen;
  for (auto& pair : candidates(policy, context)) {
    const KeyRow* row = find_key(pair.key);
    const bool duplicate = std::any_of(chosen.begin(), chosen.end(),
                                       [&](const text::KeyValue& p) { return p.key == pair.key; });
    if (row != nullptr && !duplicate && worth_offering(*row, state, context, discovery)) {
      chosen.push_back(std::move(pair));
    }
  }
  Offer offer{record_sent(state, chosen, context), chosen};
  return offer;
}

NegotiationState record_sent(const NegotiationState& state, const text::KeyValueList& pairs,
                             const NegotiationContext& context) {
  NegotiationState next = state;
  for (const auto& pair : pairs) {
    KeyRecord& record = next.keys[pair.key];
    const bool answering = record.value_from(peer_of(context.local_role)).has_value();
    record.value_from(context.local_role) = pair.value;
    const KeyRow* row = find_key(pair.key);
    if (row != nullptr && row->function == ResultFunction::declarative) {
      // A declaration takes effect for our side whoever declared first (RFC 7143 §6.2).
      if (!record.originator) record.originator = context.local_role;
      if (!record.result) record.result = pair.value;
      apply_result(row->name, pair.value, context.local_role, next.session, next.connection);
      continue;
    }
    if (answering) continue;
    if (!record.originator) record.originator = context.local_role;
    if (row == nullptr) continue;
    if (row->function != ResultFunction::query && row->function != ResultFunction::auth_method) {
      record.pending_offer = pair.value;
    }
  }
  return next;
}

Outcome finish(const NegotiationState& state, const LocalPolicy& /*policy*/,
               const NegotiationContext& context) {
  Outcome outcome;
  outcome.state = state;
  for (auto& [key, record] : outcome.state.keys) {
    if (!record.pending_offer) continue;
    const KeyRow* row = find_key(key);
    const std::string offer = std::move(*record.pending_offer);
    record.pending_offer.reset();
    if (row != nullptr && optional_answer(*row, offer)) {
      record.result = offer;
      apply_result(key, offer, context.local_role, outcome.state.session,
                   outcome.state.connection);
      continue;
    }
    outcome.violations.push_back(Violation{
        kMissingAnswer, fmt::format("the {} never answered our offer {}={}",
                                    to_string(peer_of(context.local_role)), key, offer)});
  }
  detail::enforce_burst_order(outcome, context.local_role);
  return outcome;
}

}  // namespace iscsi::negotiation
