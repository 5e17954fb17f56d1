// The leading request's identity (RFC 7143 §6.3.1): InitiatorName, SessionType, TargetName,
// target lookup, redirection, ACL and TSIH, then the policy of this login.
#include <fmt/format.h>

#include "core/negotiation/negotiation_violations.hpp"
#include "core/text/key_value.hpp"
#include "target-impl/login/engine_impl.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {

bool LoginEngine::Impl::chap_required() const {
  // tgt's rule: CHAP is required exactly when incoming accounts are bound (to the target, or
  // to discovery for a Discovery session).
  if (session_type == negotiation::SessionType::discovery) {
    return setup.system != nullptr && !setup.system->discovery_incoming_users.empty();
  }
  return target != nullptr && !target->incoming_users.empty();
}

std::optional<LoginFailure> LoginEngine::Impl::check_identity(const pdu::LoginRequest& request,
                                                              const text::KeyValueList& pairs) {
  if (setup.system == nullptr) {
    return failure(kTargetError, violations::kTargetError, "the login has no configuration");
  }
  const auto name = text::find_value(pairs, "InitiatorName");
  if (!name || name->empty()) {
    return failure(kMissingParameter, violations::kMissingInitiatorName,
                   "the first Login Request text has no InitiatorName");
  }
  initiator_name = std::string(*name);
  if (const auto type = text::find_value(pairs, "SessionType")) {
    const auto parsed = negotiation::parse_session_type(*type);
    if (!parsed) {
      return failure(kSessionTypeNotSupported, negotiation::kUnsupportedSessionType,
                     fmt::format("the first Login Request declares SessionType={}, neither "
                                 "Normal nor Discovery",
                                 std::string(type->substr(0, 64))));
    }
    session_type = *parsed;
  }
  if (session_type == negotiation::SessionType::normal) {
    const auto target_name = text::find_value(pairs, "TargetName");
    if (!target_name || target_name->empty()) {
      return failure(kMissingParameter, violations::kMissingTargetName,
                     "the first Login Request of a Normal session has no TargetName");
    }
    if (auto refused = check_normal_target(*target_name, *name)) return refused;
  }
  if (auto refused = check_tsih(request)) return refused;
  if (auto bad = prepare_policy()) return bad;
  if (request.csg == pdu::Stage::login_operational_negotiation && chap_required()) {
    LoginFailure refused =
        failure(kAuthenticationFailure, violations::kAuthenticationRequired,
                "the login starts in the operational stage (CSG=1) but the target requires "
                "CHAP in the security stage");
    if (quirks.failure_carries_declarations && policy.target_portal_group_tag) {
      refused.text.push_back(
          {"TargetPortalGroupTag", std::to_string(*policy.target_portal_group_tag)});
    }
    return refused;
  }
  return std::nullopt;
}

// tgt's order (usr/iscsi/iscsid.c login_start): target lookup, redirection, then the ACL.
std::optional<LoginFailure> LoginEngine::Impl::check_normal_target(
    std::string_view target_name, std::string_view initiator) {
  target = setup.system->find_target(target_name);
  if (target == nullptr) {
    return failure(kNotFound, violations::kUnknownTarget,
                   fmt::format("TargetName={} names no target here",
                               std::string(target_name.substr(0, 223))));
  }
  if (const auto redirect = configured_redirect(*target)) {
    // RFC 7143 §11.13.5: class 1 with TargetAddress; not a violation.
    return LoginFailure{redirect->status, std::nullopt,
                        {{"TargetAddress", redirect->target_address}}};
  }
  if (!config::admits(*target, setup.initiator.ipv4, initiator)) {
    return failure(quirks.acl_denial_status, violations::kNotAuthorized,
                   fmt::format("the ACL of {} admits neither initiator address {} nor name {}",
                               target->name, setup.initiator.to_string(), initiator));
  }
  return std::nullopt;
}

// RFC 7143 §6.3.1: a non-zero TSIH adds a connection to an existing session.
std::optional<LoginFailure> LoginEngine::Impl::check_tsih(const pdu::LoginRequest& request) const {
  if (request.tsih == 0) return std::nullopt;
  const TsihLookup found = setup.lookup_tsih ? setup.lookup_tsih(request.tsih) : TsihLookup::unknown;
  switch (found) {
    case TsihLookup::unknown:
      return failure(kSessionDoesNotExist, violations::kUnknownSession,
                     fmt::format("Login Request carries TSIH 0x{:04x}, which names no session",
                                 request.tsih));
    case TsihLookup::exists:
      return failure(kTooManyConnections, violations::kTooManyConnections,
                     fmt::format("Login Request adds a connection to session TSIH 0x{:04x}, "
                                 "but MaxConnections is {}",
                                 request.tsih, kImplementedMaxConnections));
  }
  return std::nullopt;
}

std::optional<LoginFailure> LoginEngine::Impl::prepare_policy() {
  auto made = login_policy(target, setup.profile, setup.target_portal_group_tag, chap_required());
  if (!made) return LoginFailure{kTargetError, std::move(made).error(), {}};
  policy = std::move(*made);
  return std::nullopt;
}

// The identity keys chose the target, the policy and the authentication: they belong in the
// first text (RFC 7143 §6.3.1). A repeat is the negotiator's text.duplicate-key.
std::optional<LoginFailure> LoginEngine::Impl::check_late_identity(
    const text::KeyValueList& pairs) const {
  for (const std::string_view key : {"InitiatorName", "TargetName", "SessionType"}) {
    if (!text::find_value(pairs, key)) continue;
    const negotiation::KeyRecord* record = negotiation.find(key);
    if (record == nullptr || !record->initiator_value) {
      return failure(0x0200, violations::kIdentityKeyLate,
                     fmt::format("{} arrives after the first Login Request text", key));
    }
  }
  return std::nullopt;
}

}  // namespace iscsi::target::login
