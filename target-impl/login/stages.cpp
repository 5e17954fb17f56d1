// The security stage (AuthMethod, CHAP through chap::Responder) and the operational stage
// (negotiation::receive / make_offer / finish) of a login (RFC 7143 §6.3, §12.1).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/negotiation_violations.hpp"
#include "core/text/values.hpp"
#include "target-impl/login/engine_impl.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {
namespace {

constexpr std::string_view kChap = "CHAP";

negotiation::NegotiationContext target_context(negotiation::Phase phase) {
  return negotiation::NegotiationContext{negotiation::Role::target, phase, true};
}

chap::KeyList to_chap_keys(const text::KeyValueList& pairs) {
  chap::KeyList keys;
  keys.reserve(pairs.size());
  for (const auto& pair : pairs) keys.emplace_back(pair.key, pair.value);
  return keys;
}

void append(text::KeyValueList& out, const chap::KeyList& keys) {
  for (const auto& [key, value] : keys) out.push_back({key, value});
}

std::vector<chap::Credentials> accounts(const config::SystemConfig& system,
                                        const std::vector<std::string>& users) {
  std::vector<chap::Credentials> out;
  for (const auto& user : users) {
    if (const config::Account* account = system.find_account(user)) {
      out.push_back({account->user, account->password});
    }
  }
  return out;
}

std::optional<chap::Credentials> outgoing(const config::SystemConfig& system,
                                          const std::optional<std::string>& user) {
  if (!user) return std::nullopt;
  const config::Account* account = system.find_account(*user);
  if (account == nullptr) return std::nullopt;
  return chap::Credentials{account->user, account->password};
}

}  // namespace

// Runs the negotiator on one complete text; our declarations come first, then the answers,
// in the order tgt sends them (capture frames 6 and 445).
std::optional<LoginFailure> LoginEngine::Impl::negotiate(const text::KeyValueList& pairs,
                                                         negotiation::Phase stage,
                                                         negotiation::Outcome& out,
                                                         text::KeyValueList& reply,
                                                         LoginStep& step) {
  out = negotiation::receive(negotiation, pairs, policy, target_context(stage));
  step.violations.insert(step.violations.end(), out.violations.begin(), out.violations.end());
  if (const Violation* fatal = out.first_fatal()) {
    const bool bad_type = fatal->id() == negotiation::kUnsupportedSessionType.id;
    return LoginFailure{bad_type ? kSessionTypeNotSupported : kInitiatorError, std::nullopt,
                        {}};
  }
  auto own = negotiation::make_offer(out.state, policy, target_context(stage));
  negotiation = std::move(own.state);
  reply = std::move(own.pairs);
  reply.insert(reply.end(), out.reply.begin(), out.reply.end());
  return std::nullopt;
}

void LoginEngine::Impl::security_stage(const pdu::LoginRequest& request,
                                       const text::KeyValueList& pairs, LoginStep& step) {
  negotiation::Outcome out;
  text::KeyValueList reply;
  if (auto bad = negotiate(pairs, negotiation::Phase::security, out, reply, step)) {
    fail(request.itt, request.csg, std::move(*bad), step);
    return;
  }
  const bool was_agreed = auth_method.has_value();
  if (auto refused = agree_auth_method(pairs, reply)) {
    refused->text = reply;
    fail(request.itt, request.csg, std::move(*refused), step);
    return;
  }
  const bool just_agreed = !was_agreed && auth_method.has_value();
  if (!out.auth_pairs.empty() && auth_method != kChap) {
    LoginFailure refused =
        failure(kInitiatorError, violations::kUnexpectedAuthKeys,
                fmt::format("Login Request carries {} without AuthMethod=CHAP agreed",
                            out.auth_pairs.front().key));
    fail(request.itt, request.csg, std::move(refused), step);
    return;
  }
  if (auth_method == kChap) {
    if (auto refused = run_chap(out.auth_pairs, just_agreed, reply, step)) {
      fail(request.itt, request.csg, std::move(*refused), step);
      return;
    }
  }
  if (!request.transit) {
    respond(request, reply, false, pdu::Stage::security_negotiation, step);
    return;
  }
  if (!authenticated && !auth_method) {
    // RFC 7143 §12.1: no AuthMethod offered means None, which a CHAP target refuses (C082).
    if (chap_required()) {
      LoginFailure refused =
          failure(kAuthenticationFailure, violations::kAuthenticationRequired,
                  "the initiator asks to leave the security stage without offering "
                  "AuthMethod, and the target requires CHAP");
      refused.text = reply;
      fail(request.itt, request.csg, std::move(refused), step);
      return;
    }
    authenticated = true;
  }
  // RFC 7143 §6.3: the target does not let the initiator leave before the authentication it
  // requires is complete: T=0 while CHAP is in progress (capture frame 445).
  if (!authenticated) {
    respond(request, reply, false, pdu::Stage::security_negotiation, step);
    return;
  }
  if (auto bad = finish_stage(negotiation::Phase::security, step)) {
    fail(request.itt, request.csg, std::move(*bad), step);
    return;
  }
  respond(request, reply, true, request.nsg, step);
}

// The AuthMethod answer in this text, if the initiator offered one (RFC 7143 §12.1).
std::optional<LoginFailure> LoginEngine::Impl::agree_auth_method(const text::KeyValueList& pairs,
                                                                 const text::KeyValueList& reply) {
  const auto offered = text::find_value(pairs, "AuthMethod");
  const auto answered = text::find_value(reply, "AuthMethod");
  if (!offered || !answered || auth_method) return std::nullopt;
  if (*answered == text::kReject) {
    // tgt answers AuthMethod=Reject and 0x0201 (peer-behaviour.md); so does the RFC reading.
    const bool offered_chap = [&] {
      const auto list = text::parse_list(*offered);
      return list && std::find(list->begin(), list->end(), kChap) != list->end();
    }();
    if (chap_required() && !offered_chap) {
      return failure(kAuthenticationFailure, violations::kAuthenticationRequired,
                     fmt::format("AuthMethod={} offered, but the target requires CHAP",
                                 std::string(offered->substr(0, 64))));
    }
    return failure(kAuthenticationFailure, violations::kNoCommonAuthMethod,
                   fmt::format("AuthMethod={} names no method this target uses ({})",
                               std::string(offered->substr(0, 64)),
                               chap_required() ? "CHAP" : "None"));
  }
  auth_method = std::string(*answered);
  if (auth_method == text::kNone) authenticated = true;
  return std::nullopt;
}

std::optional<LoginFailure> LoginEngine::Impl::start_chap() {
  if (setup.rng == nullptr) {
    return failure(kTargetError, violations::kTargetError,
                   "CHAP needs a random number generator and the login has none");
  }
  const config::SystemConfig& system = *setup.system;
  chap::ResponderConfig config;
  const bool discovery = session_type == negotiation::SessionType::discovery;
  config.accounts =
      accounts(system, discovery ? system.discovery_incoming_users : target->incoming_users);
  config.target_credentials =
      outgoing(system, discovery ? system.discovery_outgoing_user : target->outgoing_user);
  config.profile = quirks.chap;
  if (setup.next_chap_identifier) config.identifier = setup.next_chap_identifier();
  chap.emplace(std::move(config), *setup.rng);
  return std::nullopt;
}

// RFC 7143 §12.1.3 through chap::Responder; the profile maps its failures to Login statuses.
std::optional<LoginFailure> LoginEngine::Impl::run_chap(const text::KeyValueList& auth_pairs,
                                                        bool method_just_agreed,
                                                        text::KeyValueList& reply,
                                                        LoginStep& step) {
  if (!chap) {
    if (auto bad = start_chap()) return bad;
  }
  // The text that agrees AuthMethod=CHAP may stop there; CHAP_A then comes next.
  if (method_just_agreed && auth_pairs.empty()) return std::nullopt;
  chap::Step result = chap->receive(to_chap_keys(auth_pairs));
  step.violations.insert(step.violations.end(), result.warnings.begin(), result.warnings.end());
  append(reply, result.send);
  switch (result.outcome) {
    case chap::Outcome::continue_exchange:
      return std::nullopt;
    case chap::Outcome::succeeded:
      authenticated = true;
      return std::nullopt;
    case chap::Outcome::failed:
      break;
  }
  const chap::Failure& why = *result.failure;
  LoginFailure refused{why.login_status, why.violation, {}};
  // CHAP_A=Reject (RFC 7143 §12.1.3) rides on the failure response.
  for (const auto& [key, value] : result.send) refused.text.push_back({key, value});
  return refused;
}

void LoginEngine::Impl::operational_stage(const pdu::LoginRequest& request,
                                          const text::KeyValueList& pairs, LoginStep& step) {
  negotiation::Outcome out;
  text::KeyValueList reply;
  text::KeyValueList kept = pairs;
  if (quirks.ignore_auth_method_in_operational_stage) {
    const auto auth = std::find_if(kept.begin(), kept.end(),
                                   [](const text::KeyValue& p) { return p.key == "AuthMethod"; });
    if (auth != kept.end()) {
      step.violations.push_back(Violation{
          violations::kAuthMethodIgnored,
          fmt::format("Login Request in the operational stage carries AuthMethod={}; skipped "
                      "as tgt skips it",
                      auth->value.substr(0, 64))});
      kept.erase(auth);
    }
  }
  if (auto bad = negotiate(kept, negotiation::Phase::operational, out, reply, step)) {
    fail(request.itt, request.csg, std::move(*bad), step);
    return;
  }
  if (!request.transit) {
    respond(request, reply, false, pdu::Stage::login_operational_negotiation, step);
    return;
  }
  if (auto bad = finish_stage(negotiation::Phase::operational, step)) {
    fail(request.itt, request.csg, std::move(*bad), step);
    return;
  }
  respond(request, reply, true, request.nsg, step);
}

std::optional<LoginFailure> LoginEngine::Impl::finish_stage(negotiation::Phase phase_done,
                                                            LoginStep& step) {
  auto end = negotiation::finish(negotiation, policy, target_context(phase_done));
  step.violations.insert(step.violations.end(), end.violations.begin(), end.violations.end());
  if (end.failed()) return LoginFailure{kInitiatorError, std::nullopt, {}};
  negotiation = std::move(end.state);
  return std::nullopt;
}

}  // namespace iscsi::target::login
