#pragma once
// The reference initiator's application API: log in to a target (with redirections, CHAP,
// the source address to bind) and get a Session, or run a SendTargets discovery. Every
// callback comes from the runtime's event loop. The Client holds no state of its own beyond
// the runtime: sessions live as long as the application holds them.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/text/send_targets.hpp"
#include "initiator-impl/client/login_request.hpp"
#include "initiator-impl/client/session.hpp"

namespace iscsi::initiator::client {

using LoginCallback = std::function<void(LoginOutcome)>;

struct DiscoveryOutcome {
  // The login's outcome; its session is not set (the discovery session is logged out).
  LoginOutcome login;
  // The SendTargets exchange failed (connection lost, Reject ...): why.
  std::optional<session::Failure> text_failure;
  // The answer did not parse (text.bad-send-targets-response, text.bad-target-address).
  std::optional<Violation> parse_error;
  std::vector<text::SendTargetsRecord> targets;
  std::vector<Violation> violations;  // everything seen, login included

  bool ok() const { return login.error == LoginError::none && !text_failure && !parse_error; }
  std::string describe() const;
};
using DiscoveryCallback = std::function<void(DiscoveryOutcome)>;

class Client {
 public:
  explicit Client(ClientRuntime runtime) : runtime_(runtime) {}

  // A Normal session (request.setup.target_name set). `done` runs once.
  void login(LoginRequest request, LoginCallback done);
  // A Discovery session: login (target_name is cleared), Text SendTargets=All, logout.
  void discover(LoginRequest request, DiscoveryCallback done);

  const ClientRuntime& runtime() const { return runtime_; }

 private:
  ClientRuntime runtime_;
};

}  // namespace iscsi::initiator::client
