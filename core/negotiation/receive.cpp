// receive(): dispatch of each received pair and the checks every offer goes through
// (RFC 7143 §6.2, §6.3, §13).
#include <fmt/format.h>

#include "core/negotiation/receiver.hpp"
#include "core/text/duplicates.hpp"
#include "core/text/values.hpp"

namespace iscsi::negotiation {
namespace detail {

Receiver::Receiver(const NegotiationState& state, const LocalPolicy& policy,
                   const NegotiationContext& context)
    : policy_(policy), context_(context) {
  outcome_.state = state;
}

void Receiver::scan(const text::KeyValueList& pairs) {
  for (const auto& pair : pairs) {
    // The session type decides which keys are irrelevant (C068), and the initiator may declare
    // it after other keys in the same text.
    if (pair.key == "SessionType" && context_.local_role == Role::target) {
      if (const auto type = parse_session_type(pair.value)) {
        outcome_.state.session.session_type = *type;
      }
    }
    // FirstBurstLength must not exceed MaxBurstLength (C059), whichever comes first.
    if (pair.key == "MaxBurstLength" && !offered_max_burst_) {
      if (auto number = text::parse_number(pair.value)) offered_max_burst_ = *number;
    }
  }
}

void Receiver::handle(const text::KeyValue& pair) {
  if (stopped_) return;
  const KeyRow* row = find_key(pair.key);
  auto& keys = outcome_.state.keys;
  if (keys.find(pair.key) == keys.end() && keys.size() >= kMaxKeysPerNegotiation) {
    violation(kTooManyKeys, fmt::format("more than {} distinct keys in one negotiation",
                                        kMaxKeysPerNegotiation));
    stopped_ = true;
    return;
  }
  if (row != nullptr) {
    auto& record = keys[pair.key];
    if (record.pending_offer) {
      std::string offer = std::move(*record.pending_offer);
      record.pending_offer.reset();
      record.value_from(peer()) = pair.value;
      check_answer(*row, pair, std::move(offer));
      return;
    }
  }
  if (!record_or_reject_duplicate(row, pair)) return;
  if (row == nullptr) {
    handle_unknown(pair);
    return;
  }
  if (!check_offer_basics(*row, pair) || !check_phase(*row, pair)) return;
  respond(*row, pair);
}

// RFC 7143 §6.2: one offer or declaration per key and side in a negotiation (C054).
bool Receiver::record_or_reject_duplicate(const KeyRow* row, const text::KeyValue& pair) {
  auto& sent = outcome_.state.keys[pair.key].value_from(peer());
  const bool repeatable = row != nullptr && row->repeatable && peer() == Role::target;
  if (sent && !repeatable) {
    outcome_.violations.push_back(text::duplicate_key_violation(
        pair.key, fmt::format("the {} sent '{}' and now '{}'", to_string(peer()), shown(*sent),
                              shown(pair.value))));
    return false;
  }
  sent = pair.value;
  auto& record = outcome_.state.keys[pair.key];
  if (!record.originator) record.originator = peer();
  return true;
}

// RFC 7143 §6.2: a key we do not know is answered NotUnderstood (C051, C074, C075).
void Receiver::handle_unknown(const text::KeyValue& pair) {
  if (auto name = text::check_key_name(pair.key); !name) {
    outcome_.violations.push_back(name.error());
  }
  if (text::as_reserved_answer(pair.value)) {
    violation(kReservedValueOffered,
              fmt::format("unknown key '{}' carries the reserved value '{}', but we made no "
                          "offer it could answer",
                          shown(pair.key), pair.value));
    return;
  }
  reply(pair.key, text::kNotUnderstood);
}

bool Receiver::check_offer_basics(const KeyRow& row, const text::KeyValue& pair) {
  if (!may_send(row, peer())) {
    violation(kWrongSender, fmt::format("{} sent {}={}, but only {} may send it ({})",
                                        to_string(peer()), row.name, shown(pair.value),
                                        to_string(row.senders), row.rfc_section));
    return false;
  }
  if (text::as_reserved_answer(pair.value)) {
    violation(kReservedValueOffered,
              fmt::format("{} offered {}={}: a reserved value is only an answer (C067)",
                          to_string(peer()), row.name, pair.value));
    return false;
  }
  if (pair.value.empty() && !row.empty_value_allowed) {
    violation(kEmptyValue, fmt::format("{} sent {} with an empty value (C073)",
                                       to_string(peer()), row.name));
    return false;
  }
  return true;
}

// RFC 7143 §6.3, §6.4, §13 "Use": where a key may appear.
bool Receiver::check_phase(const KeyRow& row, const text::KeyValue& pair) {
  const bool allowed = (allowed_phases(row, peer()) & phase_bit(context_.phase)) != 0;
  const bool negotiated = row.function != ResultFunction::declarative;
  if (allowed) {
    if (row.use == Use::leading_only && negotiated && !context_.leading_connection) {
      reject(row, pair, kLeadingOnly,
             fmt::format("{} is negotiated on the leading connection only", row.name));
      return false;
    }
    return true;
  }
  const bool login_only = row.use == Use::leading_only || row.use == Use::initial_only;
  if (context_.phase == Phase::full_feature && login_only) {
    reject(row, pair, kNotRenegotiable,
           fmt::format("{} ({}) cannot be renegotiated in full feature phase (C069)", row.name,
                       to_string(row.use)));
    return false;
  }
  violation(kWrongStage, fmt::format("{} sent {} in the {} phase, where it is not allowed ({})",
                                     to_string(peer()), row.name, to_string(context_.phase),
                                     row.rfc_section));
  return false;
}

void Receiver::respond(const KeyRow& row, const text::KeyValue& pair) {
  if (row.function == ResultFunction::auth_method) {
    outcome_.auth_pairs.push_back(pair);
    return;
  }
  if (row.function == ResultFunction::query) {
    outcome_.send_targets = pair.value;
    return;
  }
  if (discovery() && row.irrelevant_in_discovery && policy_.answer_irrelevant_in_discovery) {
    reply(row.name, text::kIrrelevant);  // RFC 7143 §6.2 (C068)
    return;
  }
  if (row.function == ResultFunction::obsolete) {
    answer_obsolete(row, pair);
    return;
  }
  if (const auto problem = value_problem(row, pair.value)) {
    if (row.name == "SessionType") {
      violation(kUnsupportedSessionType, fmt::format("SessionType={} {}", shown(pair.value),
                                                     *problem));
      return;
    }
    reject(row, pair, kBadValue, *problem);
    return;
  }
  switch (row.function) {
    case ResultFunction::declarative:
      accept_declaration(row, pair);
      return;
    case ResultFunction::list_select:
      answer_list(row, pair);
      return;
    case ResultFunction::logical_and:
    case ResultFunction::logical_or:
      answer_boolean(row, pair);
      return;
    case ResultFunction::minimum:
    case ResultFunction::maximum:
      answer_numeric(row, pair);
      return;
    case ResultFunction::query:
    case ResultFunction::auth_method:
    case ResultFunction::obsolete:
      return;  // handled above
  }
}

void Receiver::reply(std::string_view key, std::string_view value) {
  outcome_.reply.push_back(text::KeyValue{std::string(key), std::string(value)});
  outcome_.state.keys[std::string(key)].value_from(context_.local_role) = std::string(value);
}

void Receiver::reject(const KeyRow& row, const text::KeyValue& pair, const ViolationKind& kind,
                      std::string why) {
  violation(kind, fmt::format("{} sent {}={}: {}; answered Reject", to_string(peer()), row.name,
                              shown(pair.value), why));
  reply(row.name, text::kReject);
}

void Receiver::violation(const ViolationKind& kind, std::string detail) {
  outcome_.violations.push_back(Violation{kind, std::move(detail)});
}

void Receiver::set_result(const KeyRow& row, const std::string& value, Role declarer) {
  outcome_.state.keys[std::string(row.name)].result = value;
  apply_result(row.name, value, declarer, outcome_.state.session, outcome_.state.connection);
}

std::string shown(std::string_view value) {
  constexpr std::size_t kShown = 40;
  std::string out;
  for (const char c : value.substr(0, kShown)) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte >= 0x20 && byte < 0x7F) ? std::string(1, c) : fmt::format("\\x{:02x}", byte);
  }
  return value.size() > kShown ? out + "..." : out;
}

}  // namespace detail

Outcome receive(const NegotiationState& state, const text::KeyValueList& pairs,
                const LocalPolicy& policy, const NegotiationContext& context) {
  detail::Receiver receiver(state, policy, context);
  receiver.scan(pairs);
  for (const auto& pair : pairs) receiver.handle(pair);
  Outcome outcome = receiver.take();
  detail::enforce_burst_order(outcome, context.local_role);
  return outcome;
}

}  // namespace iscsi::negotiation
