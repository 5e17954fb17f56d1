// LoginEngine: PDU dispatch and the Login Request header rules (RFC 7143 §6.3, §11.12).
#include "target-impl/login/login_engine.hpp"

#include <utility>

#include <fmt/format.h>

#include "core/common/bytes.hpp"
#include "target-impl/login/engine_impl.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {
namespace {

// RFC 7143 §11.12.4: the only version defined is 0x00.
constexpr std::uint8_t kVersion = 0x00;

unsigned stage_number(pdu::Stage stage) { return static_cast<unsigned>(stage); }

// The CSG of a PDU that failed to frame: byte 1 of a Login Request BHS, else the first stage.
pdu::Stage stage_of(ByteView bhs) {
  constexpr std::size_t kFlagsByte = 1;
  if (bhs.size() < pdu::kBhsLength) return pdu::Stage::security_negotiation;
  return static_cast<pdu::Stage>((bhs[kFlagsByte] >> 2) & 0x03);
}

std::uint32_t itt_of(ByteView bhs) {
  constexpr std::size_t kIttOffset = 16;
  return bhs.size() < pdu::kBhsLength ? pdu::kReservedTag : load_be32(bhs.data() + kIttOffset);
}

}  // namespace

LoginFailure failure(std::uint16_t status, const ViolationKind& kind, std::string detail) {
  return LoginFailure{status, Violation{kind, std::move(detail)}, {}};
}

std::string_view to_string(LoginPhase phase) {
  switch (phase) {
    case LoginPhase::free:
      return "Free";
    case LoginPhase::security:
      return "SecurityNegotiation";
    case LoginPhase::operational:
      return "OperationalNegotiation";
    case LoginPhase::full_feature:
      return "FullFeaturePhase";
    case LoginPhase::failed:
      return "Failed";
  }
  return "Unknown";
}

LoginEngine::Impl::Impl(LoginSetup login_setup)
    : setup(std::move(login_setup)), quirks(login_quirks(setup.profile)) {}

LoginStep LoginEngine::Impl::on_pdu(const pdu::Pdu& pdu) {
  LoginStep step;
  if (phase == LoginPhase::failed || phase == LoginPhase::full_feature) {
    // The driver must stop feeding us after close or full_feature; nothing more is sent.
    step.next = LoginStep::Next::close;
    return step;
  }
  const auto* request = std::get_if<pdu::LoginRequest>(&pdu.header);
  if (request == nullptr) {
    const pdu::Stage csg = phase == LoginPhase::operational
                               ? pdu::Stage::login_operational_negotiation
                               : pdu::Stage::security_negotiation;
    fail(pdu::itt(pdu), csg,
         failure(quirks.unexpected_pdu_status, violations::kUnexpectedPdu,
                 fmt::format("{} (opcode 0x{:02x}) arrived during login; only Login Requests "
                             "may precede the Login Final-Response",
                             pdu::to_string(pdu::opcode(pdu)),
                             static_cast<unsigned>(pdu::opcode(pdu)))),
         step);
    return step;
  }
  on_request(*request, pdu.data, step);
  return step;
}

LoginStep LoginEngine::Impl::on_frame_error(const pdu::FrameError& error) {
  LoginStep step;
  if (phase == LoginPhase::failed || phase == LoginPhase::full_feature) {
    step.next = LoginStep::Next::close;
    return step;
  }
  if (error.fatal()) {
    // The stream is no longer framed: nothing can be answered (RFC 7143 §7.8 ≈).
    step.violations.push_back(error.violation);
    change_phase(LoginPhase::failed, step);
    step.next = LoginStep::Next::close;
    return step;
  }
  fail(itt_of(error.bhs), stage_of(error.bhs), LoginFailure{kInitiatorError, error.violation, {}},
       step);
  return step;
}

void LoginEngine::Impl::on_request(const pdu::LoginRequest& request, const Bytes& data,
                                   LoginStep& step) {
  if (auto bad = check_header(request)) {
    fail(request.itt, request.csg, std::move(*bad), step);
    return;
  }
  if (phase == LoginPhase::free) {
    change_phase(request.csg == pdu::Stage::security_negotiation ? LoginPhase::security
                                                                 : LoginPhase::operational,
                 step);
  }
  if (pending) {
    // RFC 7143 §11.13: while our response text continues (C=1), the initiator sends empty
    // Login Requests to pull the rest.
    if (!data.empty() || request.continue_) {
      fail(request.itt, request.csg,
           failure(kInitiatorError, violations::kDataDuringContinuation,
                   fmt::format("Login Request carries {} data bytes (C={}) while the target's "
                               "response text is still being sent with C=1",
                               data.size(), request.continue_ ? 1 : 0)),
           step);
      return;
    }
    send_pending(request, step);
    return;
  }
  auto fed = accumulator.feed(data, request.continue_);
  if (!fed) {
    fail(request.itt, request.csg, LoginFailure{kInitiatorError, std::move(fed).error(), {}},
         step);
    return;
  }
  if (!fed->has_value()) {
    // RFC 7143 §11.12.2 (C042): an incomplete text is answered with an empty response.
    respond(request, {}, false, pdu::Stage::security_negotiation, step);
    return;
  }
  on_text(request, **fed, step);
}

std::optional<LoginFailure> LoginEngine::Impl::check_header(const pdu::LoginRequest& request) {
  if (++requests > kMaxLoginRequests) {
    return failure(kInitiatorError, violations::kTooManyRequests,
                   fmt::format("Login Request number {} and still no Login Final-Response",
                               requests));
  }
  if (!leading) {
    leading = request;
    stat_sn = quirks.stat_sn_from_exp_stat_sn ? request.exp_stat_sn : 0;
    // RFC 7143 §11.12.4: Version-min above the only version we speak means no overlap.
    if (request.version_min != kVersion) {
      return failure(kUnsupportedVersion, violations::kUnsupportedVersion,
                     fmt::format("Login Request asks for versions {}..{}; this target speaks "
                                 "version 0 only",
                                 request.version_min, request.version_max));
    }
  } else if (auto changed = check_consistency(request)) {
    return changed;
  }
  if (auto bad = check_flags(request)) return bad;
  return check_stage(request);
}

// RFC 7143 §11.12 (C030): every request of one login repeats the leading request's fields.
std::optional<LoginFailure> LoginEngine::Impl::check_consistency(
    const pdu::LoginRequest& request) const {
  const pdu::LoginRequest& first = *leading;
  std::string changed;
  const auto compare = [&](std::string_view field, std::uint64_t was, std::uint64_t now) {
    if (was != now && changed.empty()) {
      changed = fmt::format("{} changed from 0x{:x} to 0x{:x}", field, was, now);
    }
  };
  compare("ISID", first.isid.value(), request.isid.value());
  compare("TSIH", first.tsih, request.tsih);
  compare("CID", first.cid, request.cid);
  compare("ITT", first.itt, request.itt);
  compare("CmdSN", first.cmd_sn, request.cmd_sn);
  compare("Version-max", first.version_max, request.version_max);
  compare("Version-min", first.version_min, request.version_min);
  if (changed.empty()) return std::nullopt;
  return failure(kInitiatorError, violations::kFieldChanged,
                 fmt::format("Login Request {}: {} within one login", requests, changed));
}

// RFC 7143 §11.12.1-3 (C027-C029).
std::optional<LoginFailure> LoginEngine::Impl::check_flags(const pdu::LoginRequest& request) const {
  if (request.transit && request.continue_) {
    return failure(kInitiatorError, violations::kTransitAndContinue,
                   "Login Request has both T and C set");
  }
  const bool csg_valid = request.csg == pdu::Stage::security_negotiation ||
                         request.csg == pdu::Stage::login_operational_negotiation;
  if (!csg_valid || (request.transit && request.nsg == pdu::Stage::reserved)) {
    return failure(kInitiatorError, violations::kReservedStage,
                   fmt::format("Login Request has CSG={} NSG={} (T={}); CSG must be 0 or 1 and "
                               "NSG must not be 2",
                               stage_number(request.csg), stage_number(request.nsg),
                               request.transit ? 1 : 0));
  }
  if (request.transit && stage_number(request.nsg) <= stage_number(request.csg)) {
    return failure(kInitiatorError, violations::kBadNextStage,
                   fmt::format("Login Request has T=1 with NSG={} not above CSG={}",
                               stage_number(request.nsg), stage_number(request.csg)));
  }
  return std::nullopt;
}

// RFC 7143 §6.3: the CSG is the stage the target last agreed to. Reaching the operational
// stage without the authentication the target requires is an authentication failure (C041).
std::optional<LoginFailure> LoginEngine::Impl::check_stage(const pdu::LoginRequest& request) const {
  const auto expected = [&]() -> std::optional<pdu::Stage> {
    switch (phase) {
      case LoginPhase::security:
        return pdu::Stage::security_negotiation;
      case LoginPhase::operational:
        return pdu::Stage::login_operational_negotiation;
      case LoginPhase::free:
      case LoginPhase::full_feature:
      case LoginPhase::failed:
        return std::nullopt;
    }
    return std::nullopt;
  }();
  if (!expected || *expected == request.csg) return std::nullopt;
  const std::string detail =
      fmt::format("Login Request has CSG={} while the login is in stage {} ({})",
                  stage_number(request.csg), stage_number(*expected), to_string(phase));
  if (phase == LoginPhase::security && identified && chap_required() && !authenticated) {
    return failure(0x0201, violations::kAuthenticationRequired,
                   detail + "; the target requires CHAP first");
  }
  return failure(kInitiatorError, violations::kUnexpectedStage, detail);
}

void LoginEngine::Impl::on_text(const pdu::LoginRequest& request, const text::KeyValueList& pairs,
                                LoginStep& step) {
  if (!identified) {
    if (auto refused = check_identity(request, pairs)) {
      fail(request.itt, request.csg, std::move(*refused), step);
      return;
    }
    identified = true;
  } else if (auto late = check_late_identity(pairs)) {
    fail(request.itt, request.csg, std::move(*late), step);
    return;
  }
  if (phase == LoginPhase::security) {
    security_stage(request, pairs, step);
  } else {
    operational_stage(request, pairs, step);
  }
}

LoginEngine::LoginEngine(LoginSetup setup) : impl_(std::make_unique<Impl>(std::move(setup))) {}
LoginEngine::~LoginEngine() = default;
LoginEngine::LoginEngine(LoginEngine&&) noexcept = default;
LoginEngine& LoginEngine::operator=(LoginEngine&&) noexcept = default;

LoginStep LoginEngine::on_pdu(const pdu::Pdu& pdu) { return impl_->on_pdu(pdu); }
LoginStep LoginEngine::on_frame_error(const pdu::FrameError& error) {
  return impl_->on_frame_error(error);
}
const std::optional<LoginSucceeded>& LoginEngine::succeeded() const { return impl_->succeeded; }

}  // namespace iscsi::target::login
