#pragma once
// The table-driven negotiator (RFC 7143 §6.2, §13; DESIGN.md "Negotiation"). Pure functions:
// a state and input in, a new state and output out.
//
// A login or Text engine, for each complete received text (see text::TextAccumulator):
//   auto out = negotiation::receive(state, pairs, policy, context);
//   state = out.state;          // results so far: out.state.session / .connection
//   if (out.failed()) ...       // fatal violation: class 2 login reject or connection drop
//   hand out.auth_pairs to the CHAP engine; serve out.send_targets;
//   auto own = negotiation::make_offer(state, policy, context);  // our declarations/offers
//   state = own.state;  reply = own.pairs + out.reply (+ CHAP pairs), encoded and split.
// and when the stage (or Text exchange) ends:
//   auto end = negotiation::finish(state, policy, context);
#include "core/negotiation/negotiation_violations.hpp"
#include "core/negotiation/policy.hpp"
#include "core/negotiation/state.hpp"
#include "core/text/key_value.hpp"

namespace iscsi::negotiation {

// Processes the pairs received from the peer: answers its offers (list, boolean, numeric),
// accepts its declarations, checks its answers to our pending offers, and reports violations:
//  - unknown key (and extension keys X-, X#, Y#, Z#): answered NotUnderstood, no violation
//    (a key that is not a standard-label also gets text.bad-key-name, a warning) (C051, C074,
//    C075);
//  - malformed or out-of-range value: answered Reject, negotiation.bad-value (C062, C063);
//  - list with no acceptable value: answered Reject, negotiation.no-acceptable-value (C066);
//  - reserved value offered (Reject, Irrelevant, NotUnderstood): negotiation.reserved-value-
//    offered, fatal (C067); empty value: negotiation.empty-value, fatal (C073);
//  - key from the wrong side: negotiation.key-wrong-sender, fatal (C071);
//  - LO/IO key in full feature phase: answered Reject, negotiation.key-not-renegotiable (C069);
//  - key in the wrong login stage (security keys in the operational stage, C104; operational
//    keys in the security stage; SendTargets during login): negotiation.key-wrong-stage, fatal;
//  - LO key on a non-leading connection: answered Reject, negotiation.leading-only-key;
//  - duplicate key in one negotiation: text.duplicate-key, fatal (C054);
//  - marker keys: answered Reject (or No, by policy) (C072);
//  - keys marked irrelevant in a Discovery session: answered Irrelevant, by policy (C068);
//  - unknown SessionType: negotiation.unsupported-session-type, fatal (0x0209, C039);
//  - answers to our offers: wrong side of Min/Max or a boolean, a list value we did not offer,
//    Reject or NotUnderstood for a key the peer must know, malformed: fatal violations.
Outcome receive(const NegotiationState& state, const text::KeyValueList& pairs,
                const LocalPolicy& policy, const NegotiationContext& context);

// Our declarations and offers for this phase, skipping keys already sent by either side in this
// negotiation, keys not allowed for our role in this phase, LO keys on a non-leading
// connection, and keys irrelevant to a Discovery session:
//  - initiator, login: InitiatorName, InitiatorAlias, TargetName, SessionType,
//    X#NodeArchitecture (whichever the policy sets); security stage: AuthMethod;
//  - target, login: TargetPortalGroupTag, TargetAlias, X#NodeArchitecture;
//  - operational stage: MaxRecvDataSegmentLength (if declared by policy), then offer_keys.
// Nothing is offered in full feature phase (build Text Requests yourself, then record_sent).
Offer make_offer(const NegotiationState& state, const LocalPolicy& policy,
                 const NegotiationContext& context);

// Records pairs we send that we built ourselves (a Text Request in full feature phase, a
// conformance stimulus): declarations take effect, negotiated keys await an answer.
NegotiationState record_sent(const NegotiationState& state, const text::KeyValueList& pairs,
                             const NegotiationContext& context);

// Ends a stage or Text exchange: an offer still unanswered takes the offered value when the
// answer was optional (AND offered No, OR offered Yes, RFC 7143 §6.2.2), else
// negotiation.missing-answer (fatal). Ensures FirstBurstLength <= MaxBurstLength (C059), as
// receive() does: FirstBurstLength is lowered to MaxBurstLength, and when we offered it and the
// peer's answers broke the rule, that is negotiation.first-burst-exceeds-max-burst (fatal).
Outcome finish(const NegotiationState& state, const LocalPolicy& policy,
               const NegotiationContext& context);

}  // namespace iscsi::negotiation
