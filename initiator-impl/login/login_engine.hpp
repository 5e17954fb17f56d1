#pragma once
// The initiator's login engine for one connection (RFC 7143 §6.3, §11.12, §11.13), sans-IO:
// it builds Login Requests and consumes decoded Login Responses, nothing else. It runs the
// security stage (AuthMethod None or CHAP through chap::Originator, one-way or mutual), the
// operational stage (negotiation::receive/make_offer/finish), multi-PDU text in both
// directions (C bit), and checks every Login Response against the rules the target must keep,
// reporting each broken one as a Violation. The connection driver owns the Framer and the
// Stream: it sends start()'s requests, feeds every decoded PDU to on_pdu() and sends what comes
// back, until the step says full_feature (build the session from succeeded()), failed (close;
// failure() says why) or redirected (close and log in again at redirect()).
//
// It follows open-iscsi 2.1.8 (usr/login.c, usr/auth.c): with CHAP credentials it starts in the
// security stage offering AuthMethod=CHAP,None (CHAP alone for mutual CHAP), T=1 towards the
// operational stage; without credentials it starts in the operational stage, T=1 towards full
// feature phase. A Discovery session with default digests and MaxRecvDataSegmentLength asks to
// go from the security stage straight to full feature phase, as open-iscsi does.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chap/originator.hpp"
#include "core/common/violation.hpp"
#include "core/negotiation/parameters.hpp"
#include "core/negotiation/policy.hpp"
#include "core/pdu/framer.hpp"
#include "core/pdu/isid.hpp"
#include "core/pdu/login_status.hpp"
#include "core/pdu/pdu.hpp"
#include "core/runtime/rng.hpp"
#include "core/text/target_address.hpp"

namespace iscsi::initiator::login {

struct LoginSetup {
  std::string initiator_name;
  std::string initiator_alias;  // empty: not declared
  std::string target_name;      // empty: a Discovery session (SessionType=Discovery)
  pdu::Isid isid{};
  // 0 for a new session (and for session reinstatement, RFC 7143 §6.3.5: the same ISID with
  // TSIH 0); the session's TSIH to add a connection to it (RFC 7143 §6.3.1).
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  std::uint32_t itt = 0;  // the Initiator Task Tag every Login Request of this login carries
  // The login's CmdSN: Login Requests are immediate, so the first command in full feature
  // phase carries it again (RFC 7143 §11.12.8).
  std::uint32_t cmd_sn = 1;
  std::uint32_t exp_stat_sn = 0;  // ExpStatSN of the first Login Request
  // CHAP credentials: one-way, or mutual when target_credentials are set. nullopt: no
  // authentication (AuthMethod None, the security stage is skipped).
  std::optional<chap::OriginatorConfig> chap;
  // Operational keys we offer and accept (digests, ImmediateData, InitialR2T, burst lengths,
  // MaxRecvDataSegmentLength, MaxOutstandingR2T, ErrorRecoveryLevel ...). The engine fills in
  // the identity fields and auth_methods from the fields above.
  negotiation::LocalPolicy policy = negotiation::initiator_policy();
  runtime::Rng* rng = nullptr;  // the mutual CHAP challenge; must outlive the engine
};

// Everything the full feature phase needs from a successful login.
struct LoginResult {
  negotiation::SessionParameters session;
  negotiation::ConnectionParameters connection;
  pdu::Isid isid{};
  std::uint16_t tsih = 0;  // the session handle from the Final-Response (C033)
  std::uint16_t cid = 0;
  std::optional<std::uint16_t> target_portal_group_tag;
  std::string target_alias;
  std::uint32_t cmd_sn = 0;       // the CmdSN of the first non-immediate command
  std::uint32_t exp_stat_sn = 0;  // the Final-Response's StatSN + 1
  std::uint32_t exp_cmd_sn = 0;   // from the Final-Response
  std::uint32_t max_cmd_sn = 0;   // from the Final-Response
};

struct LoginFailure {
  enum class Kind : std::uint8_t {
    target_status,  // the target answered a Status-Class 2 or 3 (status says which)
    local,          // we gave up: wrong mutual CHAP answer, no common value, negotiation ...
    protocol,       // the target broke a rule of the login; we close
  };
  Kind kind = Kind::local;
  // The wire status (class << 8 | detail) when the target sent one.
  std::optional<std::uint16_t> status;
  Violation violation;
};

// A Status-Class 1 answer (RFC 7143 §11.13.5): log in again at target_address. 0x0101 is for
// this login only, 0x0102 should update the initiator's records.
struct Redirection {
  std::uint16_t status = 0x0101;
  text::TargetAddress target_address;
};

struct StateChange {
  std::string machine;  // "initiator-login"
  std::string from;
  std::string to;
};

struct LoginStep {
  enum class Next : std::uint8_t {
    continue_login,  // send `requests`, then feed the next Login Response
    full_feature,    // the Final-Response arrived; succeeded() is set
    failed,          // close the connection; failure() says why; nothing more is sent
    redirected,      // close the connection; redirect() says where to log in again
  };
  std::vector<pdu::Pdu> requests;
  std::vector<Violation> violations;
  std::vector<StateChange> states;
  Next next = Next::continue_login;
};

std::string_view to_string(LoginStep::Next next);
std::string_view to_string(LoginFailure::Kind kind);

class LoginEngine {
 public:
  explicit LoginEngine(LoginSetup setup);
  ~LoginEngine();
  LoginEngine(LoginEngine&&) noexcept;
  LoginEngine& operator=(LoginEngine&&) noexcept;

  // The first Login Request (a few with C=1 when our text is longer than 8192 bytes: each
  // later one goes out in answer to the target's empty response). Only the first call does
  // anything; a bad setup (no InitiatorName, CHAP without an Rng, an invalid policy) fails
  // here, locally, with nothing to send.
  LoginStep start();
  // One decoded PDU from the target. After the login ended, PDUs only draw a violation.
  LoginStep on_pdu(const pdu::Pdu& pdu);
  // A framing error while the login runs: the login fails (protocol).
  LoginStep on_frame_error(const pdu::FrameError& error);

  bool finished() const;
  const std::optional<LoginResult>& succeeded() const;
  const std::optional<LoginFailure>& failure() const;
  const std::optional<Redirection>& redirect() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::initiator::login
