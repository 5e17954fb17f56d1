// The initiator's login engine: setup, the first request, PDU dispatch, and the three ways a
// login ends (Final-Response, failure, redirection) (RFC 7143 §6.3, §11.13.5).
#include "initiator-impl/login/login_engine.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/text/values.hpp"
#include "initiator-impl/login/engine_impl.hpp"
#include "initiator-impl/login/login_violations.hpp"

namespace iscsi::initiator::login {

std::string_view to_string(LoginPhase phase) {
  switch (phase) {
    case LoginPhase::initial:
      return "initial";
    case LoginPhase::security:
      return "security";
    case LoginPhase::operational:
      return "operational";
    case LoginPhase::full_feature:
      return "full-feature";
    case LoginPhase::failed:
      return "failed";
    case LoginPhase::redirected:
      return "redirected";
  }
  return "unknown";
}

std::string_view to_string(LoginStep::Next next) {
  switch (next) {
    case LoginStep::Next::continue_login:
      return "continue-login";
    case LoginStep::Next::full_feature:
      return "full-feature";
    case LoginStep::Next::failed:
      return "failed";
    case LoginStep::Next::redirected:
      return "redirected";
  }
  return "unknown";
}

std::string_view to_string(LoginFailure::Kind kind) {
  switch (kind) {
    case LoginFailure::Kind::target_status:
      return "target-status";
    case LoginFailure::Kind::local:
      return "local";
    case LoginFailure::Kind::protocol:
      return "protocol";
  }
  return "unknown";
}

LoginEngine::Impl::Impl(LoginSetup login_setup) : setup(std::move(login_setup)) {}

bool LoginEngine::Impl::ended() const {
  return phase == LoginPhase::full_feature || phase == LoginPhase::failed ||
         phase == LoginPhase::redirected;
}

void LoginEngine::Impl::change_phase(LoginPhase next, LoginStep& step) {
  if (next == phase) return;
  step.states.push_back(
      StateChange{"initiator-login", std::string(to_string(phase)), std::string(to_string(next))});
  phase = next;
}

// Fills the policy from the setup: identity, and the AuthMethod offer open-iscsi makes
// (usr/auth.c acl_set_auth_method_valid: CHAP,None with a password, CHAP alone when the
// target must authenticate too, None without credentials).
std::optional<Violation> LoginEngine::Impl::prepare() {
  policy = setup.policy;
  policy.initiator_name = setup.initiator_name;
  policy.initiator_alias = setup.initiator_alias;
  policy.target_name = setup.target_name;
  const bool discovery = setup.target_name.empty();
  policy.session_type =
      discovery ? negotiation::SessionType::discovery : negotiation::SessionType::normal;
  policy.declare_session_type = true;
  if (!setup.chap) {
    policy.auth_methods = {"None"};
  } else if (setup.chap->target_credentials) {
    policy.auth_methods = {"CHAP"};
  } else {
    policy.auth_methods = {"CHAP", "None"};
  }
  if (setup.initiator_name.empty()) {
    return Violation{violations::kBadSetup,
                     "the first Login Request must carry InitiatorName (RFC 7143 §6.3.1) and "
                     "the setup has none"};
  }
  if (setup.chap && setup.rng == nullptr) {
    return Violation{violations::kBadSetup, "CHAP is configured and the setup has no Rng"};
  }
  if (auto valid = negotiation::validate_policy(policy); !valid) {
    return Violation{violations::kBadSetup, valid.error().detail};
  }
  if (setup.chap) chap.emplace(*setup.chap, *setup.rng);
  // open-iscsi (usr/login.c fill_security_params_text): a Discovery session with default
  // digests and MaxRecvDataSegmentLength has nothing to negotiate after authentication.
  const bool defaults = policy.header_digests == std::vector<std::string>{"None"} &&
                        policy.data_digests == std::vector<std::string>{"None"} &&
                        policy.max_recv_data_segment_length == 8192;
  security_nsg = discovery && defaults ? pdu::Stage::full_feature_phase
                                       : pdu::Stage::login_operational_negotiation;
  return std::nullopt;
}

LoginStep LoginEngine::Impl::start() {
  LoginStep step;
  if (phase != LoginPhase::initial) return step;
  if (auto bad = prepare()) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return step;
  }
  if (chap) {
    csg = pdu::Stage::security_negotiation;
    change_phase(LoginPhase::security, step);
    auto offer =
        negotiation::make_offer(negotiation, policy, context(negotiation::Phase::security));
    negotiation = std::move(offer.state);
    send_text(offer.pairs, true, security_nsg, step);
    return step;
  }
  // No credentials: skip the security stage (RFC 7143 §6.3), as open-iscsi does.
  csg = pdu::Stage::login_operational_negotiation;
  change_phase(LoginPhase::operational, step);
  auto offer =
      negotiation::make_offer(negotiation, policy, context(negotiation::Phase::operational));
  negotiation = std::move(offer.state);
  send_text(offer.pairs, true, pdu::Stage::full_feature_phase, step);
  return step;
}

LoginStep LoginEngine::Impl::on_pdu(const pdu::Pdu& pdu) {
  LoginStep step;
  if (ended()) {
    step.violations.push_back(
        Violation{violations::kPduAfterEnd,
                  fmt::format("opcode 0x{:02x} after the login ended ({})",
                              static_cast<unsigned>(pdu::opcode(pdu)), to_string(phase))});
    return step;
  }
  const auto* response = std::get_if<pdu::LoginResponse>(&pdu.header);
  if (response == nullptr || phase == LoginPhase::initial) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kUnexpectedPdu,
                   fmt::format("opcode 0x{:02x} {} during the login",
                               static_cast<unsigned>(pdu::opcode(pdu)),
                               phase == LoginPhase::initial ? "before the first Login Request"
                                                            : "instead of a Login Response")},
         step);
    return step;
  }
  if (++responses > kMaxLoginResponses) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kTooManyResponses,
                   fmt::format("Login Response {} and the login has not ended (limit {})",
                               responses, kMaxLoginResponses)},
         step);
    return step;
  }
  on_response(*response, pdu.data, step);
  return step;
}

LoginStep LoginEngine::Impl::on_frame_error(const pdu::FrameError& error) {
  LoginStep step;
  if (ended()) return step;
  fail(LoginFailure::Kind::protocol,
       Violation{violations::kFrameError,
                 fmt::format("framing error during the login: {}", error.violation.to_string())},
       step);
  return step;
}

void LoginEngine::Impl::on_response(const pdu::LoginResponse& response, const Bytes& data,
                                    LoginStep& step) {
  if (response.itt != setup.itt) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kIttMismatch,
                   fmt::format("Login Response ITT 0x{:08x}, the Login Request's is 0x{:08x}",
                               response.itt, setup.itt)},
         step);
    return;
  }
  if (response.status_class != 0) {
    on_status_response(response, data, step);
    return;
  }
  if (auto bad = check_success_header(response, step)) {
    fail(LoginFailure::Kind::protocol, std::move(*bad), step);
    return;
  }
  if (pending) {
    // RFC 7143 §11.12.2: the target answers each of our C=1 requests with an empty response.
    if (!data.empty() || response.continue_) {
      fail(LoginFailure::Kind::protocol,
           Violation{violations::kDataDuringContinuation,
                     fmt::format("Login Response with {} bytes of text (C={}) while our text is "
                                 "still going out with C=1",
                                 data.size(), response.continue_ ? 1 : 0)},
           step);
      return;
    }
    send_next_segment(step);
    return;
  }
  auto fed = accumulator.feed(data, response.continue_);
  if (!fed) {
    fail(LoginFailure::Kind::protocol, fed.error(), step);
    return;
  }
  if (!fed->has_value()) {
    send_pull(step);  // RFC 7143 §11.13 (C043): pull the rest with an empty request
    return;
  }
  check_portal_group_tag(**fed, step);
  on_text(response, **fed, step);
}

void LoginEngine::Impl::on_status_response(const pdu::LoginResponse& response, const Bytes& data,
                                           LoginStep& step) {
  const auto status = static_cast<std::uint16_t>(response.status());
  if (response.isid != setup.isid) {
    step.violations.push_back(
        Violation{violations::kStatusIsidMismatch,
                  fmt::format("Login Response (status 0x{:04x}) ISID 0x{:012x}, ours is 0x{:012x}",
                              status, response.isid.value(), setup.isid.value())});
  }
  if (response.status_class == 1) {
    on_redirect(response, data, step);
    return;
  }
  if (response.status_class > 3) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kUnknownStatusClass,
                   fmt::format("Login Response Status-Class {} (status 0x{:04x})",
                               response.status_class, status)},
         step, status);
    return;
  }
  if (!data.empty()) {
    step.violations.push_back(
        Violation{violations::kStatusWithData,
                  fmt::format("Login Response with status 0x{:04x} carries {} bytes of text",
                              status, data.size())});
  }
  fail(LoginFailure::Kind::target_status,
       Violation{violations::kLoginRejected,
                 fmt::format("the target answered Login status 0x{:04x} ({})", status,
                             pdu::to_string(response.status()))},
       step, status);
}

// RFC 7143 §11.13.5: Status-Class 1 names the TargetAddress to log in at instead.
void LoginEngine::Impl::on_redirect(const pdu::LoginResponse& response, const Bytes& data,
                                    LoginStep& step) {
  const auto status = static_cast<std::uint16_t>(response.status());
  auto parsed = text::parse_text(data);
  std::optional<std::string_view> address;
  if (parsed) address = text::find_value(*parsed, "TargetAddress");
  std::optional<text::TargetAddress> target;
  if (address) {
    if (auto decoded = text::parse_target_address(*address)) target = std::move(*decoded);
  }
  if (!target) {
    fail(LoginFailure::Kind::protocol,
         Violation{violations::kRedirectWithoutAddress,
                   fmt::format("Login Response with status 0x{:04x} and {}", status,
                               address ? fmt::format("an unusable TargetAddress={}",
                                                     std::string(address->substr(0, 64)))
                                       : std::string("no TargetAddress"))},
         step, status);
    return;
  }
  redirection = Redirection{status, std::move(*target)};
  change_phase(LoginPhase::redirected, step);
  step.next = LoginStep::Next::redirected;
}

void LoginEngine::Impl::fail(LoginFailure::Kind kind, Violation why, LoginStep& step,
                             std::optional<std::uint16_t> status) {
  step.violations.push_back(why);
  failure = LoginFailure{kind, status, std::move(why)};
  pending.reset();
  change_phase(LoginPhase::failed, step);
  step.next = LoginStep::Next::failed;
}

// The Final-Response (T=1, NSG=3, status 0): the stage ends, and the session starts with its
// TSIH and numbering (RFC 7143 §11.12.8, §11.13).
void LoginEngine::Impl::complete_login(const pdu::LoginResponse& response, LoginStep& step) {
  const negotiation::Phase stage = csg == pdu::Stage::security_negotiation
                                       ? negotiation::Phase::security
                                       : negotiation::Phase::operational;
  if (auto bad = finish_stage(stage, step)) {
    fail(LoginFailure::Kind::local, std::move(*bad), step);
    return;
  }
  LoginResult done;
  done.session = negotiation.session;
  done.connection = negotiation.connection;
  done.isid = setup.isid;
  done.tsih = response.tsih;
  done.cid = setup.cid;
  done.target_portal_group_tag = negotiation.session.target_portal_group_tag;
  done.target_alias = negotiation.session.target_alias;
  done.cmd_sn = setup.cmd_sn;
  done.exp_stat_sn = response.stat_sn + 1;
  done.exp_cmd_sn = response.exp_cmd_sn;
  done.max_cmd_sn = response.max_cmd_sn;
  result = std::move(done);
  change_phase(LoginPhase::full_feature, step);
  step.next = LoginStep::Next::full_feature;
}

LoginEngine::LoginEngine(LoginSetup setup) : impl_(std::make_unique<Impl>(std::move(setup))) {}
LoginEngine::~LoginEngine() = default;
LoginEngine::LoginEngine(LoginEngine&&) noexcept = default;
LoginEngine& LoginEngine::operator=(LoginEngine&&) noexcept = default;

LoginStep LoginEngine::start() { return impl_->start(); }
LoginStep LoginEngine::on_pdu(const pdu::Pdu& pdu) { return impl_->on_pdu(pdu); }
LoginStep LoginEngine::on_frame_error(const pdu::FrameError& error) {
  return impl_->on_frame_error(error);
}
bool LoginEngine::finished() const { return impl_->ended(); }
const std::optional<LoginResult>& LoginEngine::succeeded() const { return impl_->result; }
const std::optional<LoginFailure>& LoginEngine::failure() const { return impl_->failure; }
const std::optional<Redirection>& LoginEngine::redirect() const { return impl_->redirection; }

}  // namespace iscsi::initiator::login
