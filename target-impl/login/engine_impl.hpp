#pragma once
// Internal: the state of one LoginEngine, shared by its source files (login_engine.cpp: PDU
// dispatch and header checks; identity.cpp: the leading request's identity, target, ACL and
// TSIH; stages.cpp: security and operational stages, CHAP; responses.cpp: Login Responses).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/chap/responder.hpp"
#include "core/negotiation/negotiator.hpp"
#include "core/pdu/login_status.hpp"
#include "core/text/accumulator.hpp"
#include "target-impl/login/login_engine.hpp"
#include "target-impl/login/login_policy.hpp"

namespace iscsi::target::login {

// The Login statuses the engine answers with (RFC 7143 §11.13.5), as the 16-bit
// (Status-Class << 8) | Status-Detail word the engine's steps carry.
constexpr std::uint16_t status_word(pdu::LoginStatus status) {
  return static_cast<std::uint16_t>(status);
}
inline constexpr std::uint16_t kInitiatorError = status_word(pdu::LoginStatus::initiator_error);
inline constexpr std::uint16_t kAuthenticationFailure =
    status_word(pdu::LoginStatus::authentication_failure);
inline constexpr std::uint16_t kSessionTypeNotSupported =
    status_word(pdu::LoginStatus::session_type_not_supported);
inline constexpr std::uint16_t kTargetError = status_word(pdu::LoginStatus::target_error);
inline constexpr std::uint16_t kOutOfResources = status_word(pdu::LoginStatus::out_of_resources);
inline constexpr std::uint16_t kMissingParameter = status_word(pdu::LoginStatus::missing_parameter);
inline constexpr std::uint16_t kNotFound = status_word(pdu::LoginStatus::not_found);
inline constexpr std::uint16_t kTooManyConnections =
    status_word(pdu::LoginStatus::too_many_connections);
inline constexpr std::uint16_t kSessionDoesNotExist =
    status_word(pdu::LoginStatus::session_does_not_exist);
inline constexpr std::uint16_t kUnsupportedVersion =
    status_word(pdu::LoginStatus::unsupported_version);

// A login that has not finished after this many Login Requests never will: real logins take
// 2 to 6 (digest §2.4: LIO gives up after 7).
inline constexpr std::size_t kMaxLoginRequests = 256;
// Login Response text per PDU. The initiator's MaxRecvDataSegmentLength declaration takes
// effect after the login, so the default 8192 applies throughout it (RFC 7143 §13.12); a
// longer response goes out with C=1 and the initiator pulls the rest (RFC 7143 §11.13, C043).
inline constexpr std::size_t kMaxLoginResponseSegment = 8192;
// MaxCmdSN = ExpCmdSN + this in Login Responses: a window of two commands right after the
// login, as tgt 1.0.85 advertises; the session engine widens it with its first response.
inline constexpr std::uint32_t kLoginMaxCmdSnAhead = 1;

enum class LoginPhase : std::uint8_t { free, security, operational, full_feature, failed };
std::string_view to_string(LoginPhase phase);

// Why and how a login ends early: the status, the finding (none for a redirection), and the
// text the failure response carries (AuthMethod=Reject, CHAP_A=Reject, TargetAddress ...).
struct LoginFailure {
  std::uint16_t status = 0x0200;
  std::optional<Violation> violation;
  text::KeyValueList text;
};

// The rest of a response text that did not fit one PDU, and what the last segment says.
struct PendingResponse {
  std::deque<text::TextSegment> segments;
  bool transit = false;
  pdu::Stage nsg = pdu::Stage::security_negotiation;
};

struct LoginEngine::Impl {
  explicit Impl(LoginSetup login_setup);

  LoginStep on_pdu(const pdu::Pdu& pdu);
  LoginStep on_frame_error(const pdu::FrameError& error);

  // login_engine.cpp
  void on_request(const pdu::LoginRequest& request, const Bytes& data, LoginStep& step);
  std::optional<LoginFailure> check_header(const pdu::LoginRequest& request);
  std::optional<LoginFailure> check_consistency(const pdu::LoginRequest& request) const;
  std::optional<LoginFailure> check_flags(const pdu::LoginRequest& request) const;
  std::optional<LoginFailure> check_stage(const pdu::LoginRequest& request) const;
  void on_text(const pdu::LoginRequest& request, const text::KeyValueList& pairs,
               LoginStep& step);

  // identity.cpp
  std::optional<LoginFailure> check_identity(const pdu::LoginRequest& request,
                                             const text::KeyValueList& pairs);
  std::optional<LoginFailure> check_normal_target(std::string_view target_name,
                                                  std::string_view initiator_name);
  std::optional<LoginFailure> check_tsih(const pdu::LoginRequest& request) const;
  std::optional<LoginFailure> prepare_policy();
  std::optional<LoginFailure> check_late_identity(const text::KeyValueList& pairs) const;
  bool chap_required() const;

  // stages.cpp
  void security_stage(const pdu::LoginRequest& request, const text::KeyValueList& pairs,
                      LoginStep& step);
  void operational_stage(const pdu::LoginRequest& request, const text::KeyValueList& pairs,
                         LoginStep& step);
  std::optional<LoginFailure> negotiate(const text::KeyValueList& pairs,
                                        negotiation::Phase stage, negotiation::Outcome& out,
                                        text::KeyValueList& reply, LoginStep& step);
  std::optional<LoginFailure> agree_auth_method(const text::KeyValueList& pairs,
                                                const text::KeyValueList& reply);
  std::optional<LoginFailure> run_chap(const text::KeyValueList& auth_pairs, bool method_just_agreed,
                                       text::KeyValueList& reply, LoginStep& step);
  std::optional<LoginFailure> start_chap();
  std::optional<LoginFailure> finish_stage(negotiation::Phase phase, LoginStep& step);

  // responses.cpp
  void respond(const pdu::LoginRequest& request, const text::KeyValueList& pairs, bool transit,
               pdu::Stage nsg, LoginStep& step);
  void send_pending(const pdu::LoginRequest& request, LoginStep& step);
  void send_segment(const pdu::LoginRequest& request, text::TextSegment segment, bool transit,
                    pdu::Stage nsg, LoginStep& step);
  void complete_login(pdu::LoginResponse& response, LoginStep& step);
  void fail(std::uint32_t itt, pdu::Stage csg, LoginFailure failure, LoginStep& step);
  void change_phase(LoginPhase next, LoginStep& step);
  pdu::LoginResponse response_header(std::uint32_t itt, pdu::Stage csg);

  LoginSetup setup;
  LoginQuirks quirks;
  LoginPhase phase = LoginPhase::free;
  std::optional<pdu::LoginRequest> leading;  // the first Login Request: fields every later
                                             // request must repeat (RFC 7143 §11.12)
  std::size_t requests = 0;
  std::uint32_t stat_sn = 0;
  text::TextAccumulator accumulator;
  std::optional<PendingResponse> pending;

  // Known once the first complete text passed the identity checks.
  bool identified = false;
  negotiation::SessionType session_type = negotiation::SessionType::normal;
  const config::TargetConfig* target = nullptr;
  std::string initiator_name;
  negotiation::LocalPolicy policy;
  negotiation::NegotiationState negotiation;

  // Security stage.
  std::optional<std::string> auth_method;  // the AuthMethod agreed, once agreed
  std::optional<chap::Responder> chap;
  bool authenticated = false;

  std::optional<LoginSucceeded> succeeded;
};

// Builders of LoginFailure for the common cases.
LoginFailure failure(std::uint16_t status, const ViolationKind& kind, std::string detail);

}  // namespace iscsi::target::login
