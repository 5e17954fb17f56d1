#pragma once
// The state of one negotiation (a login, or one Text exchange in full feature phase) and the
// parameters negotiated so far. The negotiator's functions take a state and return a new one;
// they hold nothing between calls.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/violation.hpp"
#include "core/negotiation/key_table.hpp"
#include "core/negotiation/parameters.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::negotiation {

// A named limit on distinct keys in one negotiation; real peers send fewer than 50, and the
// RFC's 64 KiB of text could otherwise carry 20000 three-byte keys, each answered.
inline constexpr std::size_t kMaxKeysPerNegotiation = 1024;

// What happened to one key in this negotiation.
struct KeyRecord {
  std::optional<std::string> initiator_value;  // what the initiator sent (offer or answer)
  std::optional<std::string> target_value;     // what the target sent
  std::optional<Role> originator;              // who offered or declared it first
  std::optional<std::string> pending_offer;    // our offer, while the answer is outstanding
  std::optional<std::string> result;           // the negotiated or declared value

  const std::optional<std::string>& value_from(Role sender) const {
    return sender == Role::initiator ? initiator_value : target_value;
  }
  std::optional<std::string>& value_from(Role sender) {
    return sender == Role::initiator ? initiator_value : target_value;
  }
  bool operator==(const KeyRecord&) const = default;
};

struct NegotiationState {
  SessionParameters session;
  ConnectionParameters connection;
  std::map<std::string, KeyRecord, std::less<>> keys;  // this negotiation only

  // Starts the next negotiation and keeps the parameters. A whole login is one negotiation
  // (RFC 7143 §6.2: no key twice in it, across both stages); each Text exchange in full
  // feature phase is a new one.
  void begin_negotiation() { keys.clear(); }
  const KeyRecord* find(std::string_view key) const;
  // Keys we offered whose answer has not arrived.
  std::vector<std::string> pending_offers() const;
  bool operator==(const NegotiationState&) const = default;
};

// Who we are and where the exchange happens.
struct NegotiationContext {
  Role local_role = Role::target;
  Phase phase = Phase::operational;
  bool leading_connection = true;  // LO keys are negotiated on the leading connection only
};

struct Outcome {
  NegotiationState state;
  text::KeyValueList reply;       // our answers, in the order the offers came
  text::KeyValueList auth_pairs;  // security-stage items for the authentication engine
  std::optional<std::string> send_targets;  // a SendTargets query to serve (RFC 7143 §13.3)
  std::vector<Violation> violations;        // every finding, any severity

  bool failed() const { return first_fatal() != nullptr; }
  const Violation* first_fatal() const;
  bool has_violation(std::string_view id) const;
};

// Our own pairs to send, and the state that remembers them.
struct Offer {
  NegotiationState state;
  text::KeyValueList pairs;
};

}  // namespace iscsi::negotiation
