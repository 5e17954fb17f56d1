#pragma once
// The target's login engine for one connection (RFC 7143 §6.3, §11.12, §11.13), sans-IO: decoded
// Login Requests in, Login Responses out. It runs security negotiation (AuthMethod None or CHAP
// through chap::Responder), operational negotiation (negotiation::receive/make_offer/finish),
// the ISID/TSIH rules, ACL and target lookup, redirection, and picks the Login status of every
// failure (digest §2.3, §2.4; the profile decides where real targets differ). The server's
// connection driver owns the Framer and the Stream; it feeds requests here until the engine
// says full_feature (build a session::SessionEngine from succeeded()) or close.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/violation.hpp"
#include "core/negotiation/parameters.hpp"
#include "core/pdu/framer.hpp"
#include "core/pdu/pdu.hpp"
#include "core/runtime/rng.hpp"
#include "core/runtime/stream.hpp"
#include "target-impl/config/model.hpp"

namespace iscsi::target::login {

// What the session registry knows about a TSIH an initiator presents (RFC 7143 §6.3.1).
enum class TsihLookup : std::uint8_t { unknown, exists };

struct LoginSetup {
  // The live configuration at the time the connection arrived; must outlive the engine.
  const config::SystemConfig* system = nullptr;
  config::Profile profile = config::Profile::rfc;
  runtime::Endpoint initiator;  // ACLs see the address (tgt matches the source IP)
  runtime::Endpoint portal;     // the local end the initiator connected to
  std::uint16_t target_portal_group_tag = 1;
  // Every portal the target listens on, for TargetAddress in SendTargets answers.
  std::vector<runtime::Endpoint> portals;
  runtime::Rng* rng = nullptr;  // CHAP challenges and identifiers; must outlive the engine
  // tgt counts CHAP_I across connections (profile tgt); empty: identifiers come from rng.
  std::function<std::uint8_t()> next_chap_identifier;
  // Asks the session registry about a non-zero TSIH in a leading Login Request.
  std::function<TsihLookup(std::uint16_t tsih)> lookup_tsih;
  // A fresh non-zero TSIH for a new session, drawn when the Login Final-Response goes out.
  std::function<std::uint16_t()> allocate_tsih;
};

// Everything the full feature phase needs from a successful login.
struct LoginSucceeded {
  negotiation::SessionParameters session;
  negotiation::ConnectionParameters connection;
  pdu::Isid isid{};
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  std::string initiator_name;
  std::string initiator_alias;
  // The target logged in to; nullopt for a Discovery session.
  std::optional<std::uint32_t> tid;
  std::string target_name;
  std::string chap_user;       // the CHAP_N that authenticated, empty without CHAP
  std::uint32_t exp_cmd_sn = 0;  // the next CmdSN expected (RFC 7143 §4.2.2.1)
  std::uint32_t stat_sn = 0;     // the StatSN the first full-feature response carries
  // The MaxCmdSN the Login Final-Response advertised; MaxCmdSN never goes back
  // (RFC 7143 §4.2.2.1), so the session's window starts here at the least.
  std::uint32_t max_cmd_sn = 0;
};

struct StateChange {
  std::string machine;  // "login"
  std::string from;
  std::string to;
};

struct LoginStep {
  enum class Next : std::uint8_t {
    continue_login,  // wait for the next Login Request
    full_feature,    // the Login Final-Response went out; succeeded() is set
    close,           // a failure response (or none) went out; close the connection after it
  };
  std::vector<pdu::Pdu> responses;
  std::vector<Violation> violations;
  std::vector<StateChange> states;
  Next next = Next::continue_login;
  // The Login status sent when next == close after a status response (0x0101 included).
  std::optional<std::uint16_t> status;
};

// Numbering (RFC 7143 §11.13): the first Login Response carries StatSN = the first request's
// ExpStatSN under the rfc profile (0 under tgt, as tgt 1.0.85 does), each later response one
// more; ExpCmdSN is the login's CmdSN and MaxCmdSN = ExpCmdSN + 1 (a window of two, as tgt).
// Failure responses under the tgt profile copy tgt's zeroed header (login_policy.hpp).
class LoginEngine {
 public:
  explicit LoginEngine(LoginSetup setup);
  ~LoginEngine();
  LoginEngine(LoginEngine&&) noexcept;
  LoginEngine& operator=(LoginEngine&&) noexcept;

  // One Login Request from the initiator. Any other opcode during login is a protocol error
  // (RFC 7143 §6.3: only Login Requests until the Final-Response): close after a failure
  // response, 0x020b "Invalid during login" under the rfc profile, 0x0200 under tgt.
  LoginStep on_pdu(const pdu::Pdu& pdu);
  // A framing error (bad opcode, over-long data segment ...) during login: 0x0200 and close
  // when a response can still be sent, else close.
  LoginStep on_frame_error(const pdu::FrameError& error);

  const std::optional<LoginSucceeded>& succeeded() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::target::login
