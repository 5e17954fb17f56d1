#pragma once
// Helpers shared by the core/negotiation tests.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/negotiation/negotiator.hpp"

namespace iscsi::negotiation::testing {

using text::KeyValue;
using text::KeyValueList;

inline NegotiationContext as_target(Phase phase = Phase::operational, bool leading = true) {
  return NegotiationContext{Role::target, phase, leading};
}
inline NegotiationContext as_initiator(Phase phase = Phase::operational, bool leading = true) {
  return NegotiationContext{Role::initiator, phase, leading};
}

// Our target (with `policy`) receives the initiator's `offer`.
inline Outcome target_receives(const KeyValueList& offer,
                               const LocalPolicy& policy = target_policy(),
                               Phase phase = Phase::operational,
                               const NegotiationState& state = {}) {
  return receive(state, offer, policy, as_target(phase));
}

// Our initiator (with `policy`) receives the target's pairs.
inline Outcome initiator_receives(const KeyValueList& pairs,
                                  const LocalPolicy& policy = initiator_policy(),
                                  Phase phase = Phase::operational,
                                  const NegotiationState& state = {}) {
  return receive(state, pairs, policy, as_initiator(phase));
}

// We (in `role`) offered key=ours; the peer answers key=theirs.
inline Outcome answer_to_our_offer(Role role, std::string_view key, std::string_view ours,
                                   std::string_view theirs, Phase phase = Phase::operational) {
  const NegotiationContext context{role, phase, true};
  const LocalPolicy policy = role == Role::initiator ? initiator_policy() : target_policy();
  const NegotiationState sent =
      record_sent({}, {KeyValue{std::string(key), std::string(ours)}}, context);
  return receive(sent, {KeyValue{std::string(key), std::string(theirs)}}, policy, context);
}

// The value we answered for `key`, if we answered it.
inline std::optional<std::string> answer_of(const Outcome& outcome, std::string_view key) {
  for (const auto& pair : outcome.reply) {
    if (pair.key == key) return pair.value;
  }
  return std::nullopt;
}

inline std::vector<std::string> ids_of(const Outcome& outcome) {
  std::vector<std::string> ids;
  for (const auto& violation : outcome.violations) ids.emplace_back(violation.id());
  return ids;
}

inline const KeyRow& row_of(std::string_view name) {
  const KeyRow* row = find_key(name);
  if (row == nullptr) ADD_FAILURE() << "no row for " << name;
  static const KeyRow kEmpty{};
  return row != nullptr ? *row : kEmpty;
}

}  // namespace iscsi::negotiation::testing
