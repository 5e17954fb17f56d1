#pragma once
// Internal: the state of one initiator LoginEngine, shared by its source files
// (login_engine.cpp: setup, dispatch and the end of a login; requests.cpp: Login Requests and
// our C=1 continuation; response_checks.cpp: the rules every Login Response must keep;
// stages.cpp: the security stage with CHAP and the operational stage).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/chap/originator.hpp"
#include "core/negotiation/negotiator.hpp"
#include "core/text/accumulator.hpp"
#include "initiator-impl/login/login_engine.hpp"

namespace iscsi::initiator::login {

// A login that has not ended after this many Login Responses never will: real logins take 2
// to 6, a 64 KiB text at 8192 bytes a PDU adds 8 more.
inline constexpr std::size_t kMaxLoginResponses = 64;
// All key=value text the target may send in one login (RFC 7143 §6.2 asks us to accept at
// least 64 KiB when an authentication method with long items is used).
inline constexpr std::size_t kMaxLoginTextBytes = text::kDefaultMaxNegotiationTextBytes;
// Our text per Login Request: the target's MaxRecvDataSegmentLength declaration takes effect
// after the login, so the default 8192 applies throughout it (RFC 7143 §13.12).
inline constexpr std::size_t kMaxLoginRequestSegment = 8192;

enum class LoginPhase : std::uint8_t {
  initial,
  security,
  operational,
  full_feature,
  failed,
  redirected
};
std::string_view to_string(LoginPhase phase);

// The rest of our own text that did not fit one Login Request, and what the last segment says.
struct PendingRequest {
  std::deque<text::TextSegment> segments;
  bool transit = false;
  pdu::Stage nsg = pdu::Stage::security_negotiation;
};

struct LoginEngine::Impl {
  explicit Impl(LoginSetup login_setup);

  // login_engine.cpp
  LoginStep start();
  LoginStep on_pdu(const pdu::Pdu& pdu);
  LoginStep on_frame_error(const pdu::FrameError& error);
  std::optional<Violation> prepare();
  void on_response(const pdu::LoginResponse& response, const Bytes& data, LoginStep& step);
  void on_status_response(const pdu::LoginResponse& response, const Bytes& data, LoginStep& step);
  void on_redirect(const pdu::LoginResponse& response, const Bytes& data, LoginStep& step);
  void complete_login(const pdu::LoginResponse& response, LoginStep& step);
  void fail(LoginFailure::Kind kind, Violation why, LoginStep& step,
            std::optional<std::uint16_t> status = std::nullopt);
  void change_phase(LoginPhase next, LoginStep& step);
  bool ended() const;

  // requests.cpp
  pdu::LoginRequest request_header(bool transit, bool continue_, pdu::Stage nsg) const;
  void send_text(const text::KeyValueList& pairs, bool transit, pdu::Stage nsg, LoginStep& step);
  void send_next_segment(LoginStep& step);
  void send_segment(text::TextSegment segment, bool transit, pdu::Stage nsg, LoginStep& step);
  void send_pull(LoginStep& step);

  // response_checks.cpp: the fatal finding, if any; warnings go to the step.
  std::optional<Violation> check_success_header(const pdu::LoginResponse& response,
                                                LoginStep& step);
  std::optional<Violation> check_flags(const pdu::LoginResponse& response) const;
  std::optional<Violation> check_tsih(const pdu::LoginResponse& response) const;
  void check_numbers(const pdu::LoginResponse& response, LoginStep& step);
  void check_portal_group_tag(const text::KeyValueList& pairs, LoginStep& step);

  // stages.cpp
  void on_text(const pdu::LoginResponse& response, const text::KeyValueList& pairs,
               LoginStep& step);
  void security_stage(const pdu::LoginResponse& response, const text::KeyValueList& pairs,
                      LoginStep& step);
  void operational_stage(const pdu::LoginResponse& response, const text::KeyValueList& pairs,
                         LoginStep& step);
  std::optional<Violation> negotiate(const text::KeyValueList& pairs, negotiation::Phase stage,
                                     text::KeyValueList& reply, text::KeyValueList& auth_pairs,
                                     LoginStep& step);
  std::optional<Violation> run_chap(const text::KeyValueList& auth_pairs, text::KeyValueList& reply,
                                    LoginStep& step);
  std::optional<Violation> check_auth_method() const;
  std::optional<Violation> finish_stage(negotiation::Phase stage, LoginStep& step);
  void enter_operational(const text::KeyValueList& carried, LoginStep& step);
  bool chap_agreed() const;
  bool ready_to_leave_security() const;
  negotiation::NegotiationContext context(negotiation::Phase stage) const;

  LoginSetup setup;
  negotiation::LocalPolicy policy;
  LoginPhase phase = LoginPhase::initial;
  pdu::Stage csg = pdu::Stage::security_negotiation;
  // Where the security stage asks to go: the operational stage, or full feature phase for a
  // Discovery session with default digests and MaxRecvDataSegmentLength (open-iscsi).
  pdu::Stage security_nsg = pdu::Stage::login_operational_negotiation;
  // T and NSG of our last request that carried text (the empty requests that pull the
  // target's C=1 text do not change what we asked for).
  bool asked_transit = false;
  pdu::Stage asked_nsg = pdu::Stage::security_negotiation;
  std::optional<PendingRequest> pending;
  text::TextAccumulator accumulator{kMaxLoginTextBytes};
  std::size_t responses = 0;
  std::optional<std::uint32_t> last_stat_sn;
  bool first_text_seen = false;
  negotiation::NegotiationState negotiation;
  std::optional<chap::Originator> chap;

  std::optional<LoginResult> result;
  std::optional<LoginFailure> failure;
  std::optional<Redirection> redirection;
};

}  // namespace iscsi::initiator::login
