// The security stage (AuthMethod, CHAP through chap::Originator) and the operational stage
// (negotiation::receive / make_offer / finish) of a login, initiator side (RFC 7143 §6.3,
// §12.1). Each function gets one complete response text.
#include <fmt/format.h>

#include "core/chap/violations.hpp"
#include "core/text/values.hpp"
#include "initiator-impl/login/engine_impl.hpp"
#include "initiator-impl/login/login_violations.hpp"

namespace iscsi::initiator::login {
namespace {

constexpr std::string_view kChap = "CHAP";

chap::KeyList to_chap_keys(const text::KeyValueList& pairs) {
  chap::KeyList keys;
  keys.reserve(pairs.size());
  for (const auto& pair : pairs) keys.emplace_back(pair.key, pair.value);
  return keys;
}

void append(text::KeyValueList& out, const text::KeyValueList& more) {
  out.insert(out.end(), more.begin(), more.end());
}

}  // namespace

negotiation::NegotiationContext LoginEngine::Impl::context(negotiation::Phase stage) const {
  // LO keys belong to the leading connection's login (RFC 7143 §13): a new session.
  return negotiation::NegotiationContext{negotiation::Role::initiator, stage, setup.tsih == 0};
}

void LoginEngine::Impl::on_text(const pdu::LoginResponse& response, const text::KeyValueList& pairs,
                                LoginStep& step) {
  if (csg == pdu::Stage::security_negotiation) {
    security_stage(response, pairs, step);
  } else {
    operational_stage(response, pairs, step);
  }
}

// Runs the negotiator on one complete text: `reply` gets our remaining offers and our answers
// to the target's offers; `auth_pairs` the CHAP keys. A fatal finding is a local failure.
std::optional<Violation> LoginEngine::Impl::negotiate(const text::KeyValueList& pairs,
                                                      negotiation::Phase stage,
                                                      text::KeyValueList& reply,
                                                      text::KeyValueList& auth_pairs,
                                                      LoginStep& step) {
  auto out = negotiation::receive(negotiation, pairs, policy, context(stage));
  step.violations.insert(step.violations.end(), out.violations.begin(), out.violations.end());
  if (const Violation* fatal = out.first_fatal()) return *fatal;
  auto own = negotiation::make_offer(out.state, policy, context(stage));
  negotiation = std::move(own.state);
  reply = std::move(own.pairs);
  append(reply, out.reply);
  auth_pairs = std::move(out.auth_pairs);
  return std::nullopt;
}

// With mutual CHAP configured we offer CHAP alone; a target that picks None could not be
// verified (open-iscsi refuses it the same way, usr/auth.c acl_set_auth_method_valid).
std::optional<Violation> LoginEngine::Impl::check_auth_method() const {
  const negotiation::KeyRecord* record = negotiation.find("AuthMethod");
  if (record == nullptr || !record->result || !chap || !chap->mutual()) return std::nullopt;
  if (*record->result == kChap) return std::nullopt;
  return Violation{violations::kTargetNotAuthenticated,
                   fmt::format("the target chose AuthMethod={} and mutual CHAP is configured",
                               record->result->substr(0, 64))};
}

// RFC 7143 §12.1.3 through chap::Originator: CHAP_A once CHAP is agreed, then the answer to
// the challenge, then (mutual CHAP) the check of the target's answer.
std::optional<Violation> LoginEngine::Impl::run_chap(const text::KeyValueList& auth_pairs,
                                                     text::KeyValueList& reply, LoginStep& step) {
  if (!chap_agreed()) {
    if (auth_pairs.empty()) return std::nullopt;
    return Violation{chap::violations::kKeyOutOfOrder,
                     fmt::format("Login Response carries {} without AuthMethod=CHAP agreed",
                                 auth_pairs.front().key)};
  }
  chap::Step exchanged = chap->state() == chap::Originator::State::initial
                             ? chap->start()
                             : chap->receive(to_chap_keys(auth_pairs));
  step.violations.insert(step.violations.end(), exchanged.warnings.begin(),
                         exchanged.warnings.end());
  if (exchanged.outcome == chap::Outcome::failed) return exchanged.failure->violation;
  for (const auto& [key, value] : exchanged.send) reply.push_back({key, value});
  return std::nullopt;
}

bool LoginEngine::Impl::chap_agreed() const {
  const negotiation::KeyRecord* record = negotiation.find("AuthMethod");
  return chap.has_value() && record != nullptr && record->result == kChap;
}

// open-iscsi (usr/auth.c acl_local_auth): T=1 while AuthMethod is being agreed and on the
// request with our CHAP_R; T=0 on the request with CHAP_A.
bool LoginEngine::Impl::ready_to_leave_security() const {
  return !chap_agreed() || chap->state() != chap::Originator::State::awaiting_challenge;
}

void LoginEngine::Impl::security_stage(const pdu::LoginResponse& response,
                                       const text::KeyValueList& pairs, LoginStep& step) {
  text::KeyValueList reply;
  text::KeyValueList auth_pairs;
  if (auto bad = negotiate(pairs, negotiation::Phase::security, reply, auth_pairs, step)) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  if (auto bad = check_auth_method()) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  if (auto bad = run_chap(auth_pairs, reply, step)) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  if (!response.transit) {
    send_text(reply, ready_to_leave_security(), security_nsg, step);
    return;
  }
  // RFC 7143 §6.3: the target lets us go only once the authentication is complete; with CHAP
  // agreed, our part must be done (and, for mutual CHAP, the target's answer checked).
  if (chap_agreed() && chap->state() != chap::Originator::State::succeeded) {
    fail(LoginFailure::Kind::local,
         Violation{violations::kAuthenticationIncomplete,
                   fmt::format("the target left the security stage (T=1) with CHAP in state {}",
                               chap::to_string(chap->state()))},
         step);
    return;
  }
  if (response.nsg == pdu::Stage::full_feature_phase) {
    if (!reply.empty()) {
      fail(LoginFailure::Kind::protocol,
           Violation{violations::kOfferInFinalResponse,
                     fmt::format("the Final-Response asks for answers: {}", text::describe(reply))},
           step);
      return;
    }
    complete_login(response, step);
    return;
  }
  if (auto bad = finish_stage(negotiation::Phase::security, step)) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  enter_operational(reply, step);
}

// The first request of the operational stage: our operational offers (and any answers the
// security stage's last response still needs), T=1 towards full feature phase (open-iscsi).
void LoginEngine::Impl::enter_operational(const text::KeyValueList& carried, LoginStep& step) {
  csg = pdu::Stage::login_operational_negotiation;
  change_phase(LoginPhase::operational, step);
  auto offer =
      negotiation::make_offer(negotiation, policy, context(negotiation::Phase::operational));
  negotiation = std::move(offer.state);
  text::KeyValueList pairs = std::move(offer.pairs);
  append(pairs, carried);
  send_text(pairs, true, pdu::Stage::full_feature_phase, step);
}

void LoginEngine::Impl::operational_stage(const pdu::LoginResponse& response,
                                          const text::KeyValueList& pairs, LoginStep& step) {
  text::KeyValueList reply;
  text::KeyValueList auth_pairs;
  if (auto bad = negotiate(pairs, negotiation::Phase::operational, reply, auth_pairs, step)) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  if (!auth_pairs.empty()) {
    // RFC 7143 §6.3.2 (C104): security keys belong to the security stage.
    fail(LoginFailure::Kind::protocol,
         Violation{chap::violations::kKeysAfterCompletion,
                   fmt::format("Login Response in the operational stage carries {}",
                               auth_pairs.front().key)},
         step);
    return;
  }
  if (!response.transit) {
    send_text(reply, true, pdu::Stage::full_feature_phase, step);
    return;
  }
  if (!reply.empty()) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kOfferInFinalResponse,
                   fmt::format("the Final-Response asks for answers: {}", text::describe(reply))},
         step);
    return;
  }
  complete_login(response, step);
}

std::optional<Violation> LoginEngine::Impl::finish_stage(negotiation::Phase stage,
                                                         LoginStep& step) {
  auto end = negotiation::finish(negotiation, policy, context(stage));
  step.violations.insert(step.violations.end(), end.violations.begin(), end.violations.end());
  if (const Violation* fatal = end.first_fatal()) return *fatal;
  negotiation = std::move(end.state);
  return std::nullopt;
}

}  // namespace iscsi::initiator::login
