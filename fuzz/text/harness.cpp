// libFuzzer harness for the text codec and the negotiator (core/text, core/negotiation).
//
// Input: [config][n][n chunk lengths][text]. `config` picks the local policy and session
// facts; the text is fed to a TextAccumulator in chunks of the given lengths (C=1) and the rest
// (C=0), so pairs are cut at input-chosen points. The pairs then go through the negotiator in
// both roles and all three phases, as offers and as answers to our own offers.
//
// Our own output must always be valid: a reply that does not re-parse, a FirstBurstLength above
// MaxBurstLength, an answer of ours that our own originator check refuses, or a split/unsplit
// mismatch is a real bug and aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "core/negotiation/negotiator.hpp"
#include "core/text/accumulator.hpp"
#include "core/text/duplicates.hpp"
#include "core/text/send_targets.hpp"
#include "core/text/target_address.hpp"
#include "core/text/values.hpp"

namespace {

using iscsi::ByteView;
using iscsi::negotiation::LocalPolicy;
using iscsi::negotiation::NegotiationContext;
using iscsi::negotiation::NegotiationState;
using iscsi::negotiation::Outcome;
using iscsi::negotiation::Phase;
using iscsi::negotiation::Role;
using iscsi::text::KeyValueList;

constexpr std::size_t kMaxChunks = 7;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "text harness: %s\n", what);
  std::abort();
}

LocalPolicy policy_for(unsigned variant, Role role) {
  LocalPolicy policy = role == Role::initiator ? iscsi::negotiation::initiator_policy()
                                               : iscsi::negotiation::target_policy();
  policy.initiator_name = "iqn.2024-01.org.iscsim:fuzz-initiator";
  policy.target_name = "iqn.2024-01.org.iscsim:fuzz-target";
  policy.target_portal_group_tag = 1;
  switch (variant % 4) {
    case 0:
      break;  // RFC defaults
    case 1:  // tgt 1.0.85 (peer-behaviour.md)
      policy.declare_max_recv_data_segment_length = false;
      policy.answer_irrelevant_in_discovery = false;
      policy.answer_markers_with_no = true;
      break;
    case 2:  // everything on
      policy.auth_methods = {"CHAP", "None"};
      policy.header_digests = {"CRC32C", "None"};
      policy.data_digests = {"CRC32C", "None"};
      policy.error_recovery_level = 2;
      policy.max_burst_length = 16777215;
      policy.first_burst_length = 16777215;
      policy.task_reporting = {"FastAbort", "ResponseFence", "RFC3720"};
      policy.iscsi_protocol_level = 2;
      policy.omit_optional_boolean_answers = true;
      policy.node_architecture = {"iscsim/0.1", "fuzz"};
      policy.offer_keys.insert(policy.offer_keys.end(),
                               {"TaskReporting", "iSCSIProtocolLevel", "IFMarker"});
      break;
    default:  // smallest values
      policy.max_burst_length = 512;
      policy.first_burst_length = 512;
      policy.max_recv_data_segment_length = 512;
      policy.default_time2wait = 3600;
      policy.default_time2retain = 0;
      policy.initial_r2t = false;
      policy.immediate_data = false;
      policy.data_pdu_in_order = false;
      policy.data_sequence_in_order = false;
      policy.answer_markers_with_no = true;
      break;
  }
  return policy;
}

void expect_reparses(const KeyValueList& pairs) {
  auto parsed = iscsi::text::parse_text(iscsi::text::encode_text(pairs));
  if (!parsed || *parsed != pairs) fail("our own text does not re-parse to itself");
}

void expect_burst_order(const NegotiationState& state) {
  if (state.session.first_burst_length > state.session.max_burst_length) {
    fail("FirstBurstLength above MaxBurstLength (C059)");
  }
}

void check_outcome(const Outcome& outcome) {
  expect_reparses(outcome.reply);
  expect_burst_order(outcome.state);
}

// Our answers, fed back to our own originator (the peer's role) holding the received pairs as
// its offers, must pass its checks whenever the exchange did not already fail.
void expect_answers_acceptable(const KeyValueList& offers, const Outcome& answered,
                               const NegotiationContext& responder, const LocalPolicy& policy) {
  if (answered.failed()) return;
  const NegotiationContext originator{iscsi::negotiation::peer_of(responder.local_role),
                                      responder.phase, responder.leading_connection};
  const NegotiationState sent = iscsi::negotiation::record_sent({}, offers, originator);
  const Outcome checked = iscsi::negotiation::receive(sent, answered.reply, policy, originator);
  for (const std::string_view id :
       {"negotiation.answer-out-of-bounds", "negotiation.answer-not-offered",
        "negotiation.bad-answer", "negotiation.first-burst-exceeds-max-burst"}) {
    if (checked.has_violation(id)) fail("our answer fails our own originator check");
  }
  check_outcome(checked);
}

void negotiate(const KeyValueList& pairs, std::uint8_t config) {
  for (const Role role : {Role::initiator, Role::target}) {
    const LocalPolicy policy = policy_for(config & 3U, role);
    for (const Phase phase : {Phase::security, Phase::operational, Phase::full_feature}) {
      const NegotiationContext context{role, phase, (config & 8U) == 0};
      NegotiationState start;
      if ((config & 4U) != 0) start.session.session_type = iscsi::negotiation::SessionType::discovery;
      // As responder.
      const Outcome answered = iscsi::negotiation::receive(start, pairs, policy, context);
      check_outcome(answered);
      expect_answers_acceptable(pairs, answered, context, policy);
      check_outcome(iscsi::negotiation::finish(answered.state, policy, context));
      // As originator: the pairs answer (or cross) our own offer.
      const auto offer = iscsi::negotiation::make_offer(start, policy, context);
      expect_reparses(offer.pairs);
      const Outcome crossed = iscsi::negotiation::receive(offer.state, pairs, policy, context);
      check_outcome(crossed);
      check_outcome(iscsi::negotiation::finish(crossed.state, policy, context));
    }
  }
}

// The other text helpers on every value, for coverage; they must not crash.
void exercise_helpers(const KeyValueList& pairs) {
  (void)iscsi::text::check_no_duplicate_keys(pairs, iscsi::text::DuplicateRule::strict);
  (void)iscsi::text::parse_send_targets_response(pairs);
  for (const auto& pair : pairs) {
    (void)iscsi::text::parse_number(pair.value);
    (void)iscsi::text::parse_list(pair.value);
    (void)iscsi::text::parse_numeric_range(pair.value);
    if (auto address = iscsi::text::parse_target_address(pair.value)) {
      if (!iscsi::text::parse_target_address(iscsi::text::format_target_address(*address))) {
        fail("a formatted TargetAddress does not re-parse");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t config = data[0];
  const std::size_t chunks = std::min<std::size_t>(data[1] % (kMaxChunks + 1), size - 2);
  const ByteView lengths(data + 2, chunks);
  const ByteView text(data + 2 + chunks, size - 2 - chunks);

  // A small limit now and then exercises text.too-long.
  iscsi::text::TextAccumulator accumulator((config & 16U) != 0 ? 512 : 65536);
  std::optional<KeyValueList> pairs;
  std::size_t offset = 0;
  bool failed = false;
  for (const std::uint8_t length : lengths) {
    const std::size_t take = std::min<std::size_t>(length, text.size() - offset);
    auto fed = accumulator.feed(text.subspan(offset, take), true);
    offset += take;
    if (!fed) failed = true;
    if (failed) break;
  }
  if (!failed) {
    auto fed = accumulator.feed(text.subspan(offset), false);
    if (fed && fed->has_value()) pairs = std::move(**fed);
    failed = !fed;
  }
  // The split must not change the result (unless the total limit was hit).
  auto whole = iscsi::text::parse_text(text);
  if (!failed && (!whole || *whole != *pairs)) fail("split and unsplit text parse differently");
  if (failed && whole && text.size() <= accumulator.max_total_bytes()) {
    fail("split text failed although the whole text parses");
  }
  if (!whole) return 0;
  expect_reparses(*whole);
  exercise_helpers(*whole);
  negotiate(*whole, config);
  return 0;
}
