#pragma once
// Internal: the working state of one receive() call, shared by the responder (answers to the
// peer's offers) and the answer checker (answers to ours). Not part of the public API.
#include <optional>
#include <string>
#include <string_view>

#include "core/negotiation/negotiator.hpp"

namespace iscsi::negotiation::detail {

class Receiver {
 public:
  Receiver(const NegotiationState& state, const LocalPolicy& policy,
           const NegotiationContext& context);

  void scan(const text::KeyValueList& pairs);  // facts needed before the pairs are handled
  void handle(const text::KeyValue& pair);
  Outcome take() { return std::move(outcome_); }

 private:
  // receive.cpp: dispatch and the checks every offer goes through.
  void handle_unknown(const text::KeyValue& pair);
  bool record_or_reject_duplicate(const KeyRow* row, const text::KeyValue& pair);
  bool check_offer_basics(const KeyRow& row, const text::KeyValue& pair);
  bool check_phase(const KeyRow& row, const text::KeyValue& pair);
  void respond(const KeyRow& row, const text::KeyValue& pair);

  // respond.cpp: the answer to one offer or declaration, by result function.
  void accept_declaration(const KeyRow& row, const text::KeyValue& pair);
  void answer_list(const KeyRow& row, const text::KeyValue& pair);
  void answer_boolean(const KeyRow& row, const text::KeyValue& pair);
  void answer_numeric(const KeyRow& row, const text::KeyValue& pair);
  void answer_obsolete(const KeyRow& row, const text::KeyValue& pair);
  std::uint64_t first_burst_bound() const;

  // check_answer.cpp: the peer's answer to our pending offer.
  void check_answer(const KeyRow& row, const text::KeyValue& pair, std::string offer);
  bool check_reserved_answer(const KeyRow& row, const text::KeyValue& pair);
  std::optional<std::string> answer_result(const KeyRow& row, const text::KeyValue& pair,
                                           const std::string& offer);

  void reply(std::string_view key, std::string_view value);
  void reject(const KeyRow& row, const text::KeyValue& pair, const ViolationKind& kind,
              std::string why);
  void violation(const ViolationKind& kind, std::string detail);
  void set_result(const KeyRow& row, const std::string& value, Role declarer);
  Role peer() const { return peer_of(context_.local_role); }
  bool discovery() const { return outcome_.state.session.session_type == SessionType::discovery; }

  const LocalPolicy& policy_;
  NegotiationContext context_;
  Outcome outcome_;
  std::optional<std::uint64_t> offered_max_burst_;  // MaxBurstLength offered in this text
  bool stopped_ = false;                            // a named limit was hit
};

// value_check.cpp: whether a value fits the row's syntax and range; the reason if not.
std::optional<std::string> value_problem(const KeyRow& row, std::string_view value);

// C059: lowers FirstBurstLength to MaxBurstLength when it is above. When we offered
// FirstBurstLength and the peer's answers put it above MaxBurstLength, that is also
// negotiation.first-burst-exceeds-max-burst (a correct responder never does it). (offer.cpp)
void enforce_burst_order(Outcome& outcome, Role local_role);

// A readable prefix of a peer value for violation details.
std::string shown(std::string_view value);

}  // namespace iscsi::negotiation::detail
