#pragma once
// One login as the application sees it: connect (from the requested source address), run the
// login on a Connection, follow redirections (RFC 7143 §11.13.5, Status-Class 1: connect to
// the TargetAddress and log in again) up to a bound, and hand back either the Connection in
// full feature phase or the LoginOutcome that says what went wrong.
#include <functional>
#include <memory>

#include "initiator-impl/client/connection.hpp"
#include "initiator-impl/client/login_request.hpp"

namespace iscsi::initiator::client {

struct LoginFlowResult {
  LoginOutcome outcome;                    // session is not set here
  std::shared_ptr<Connection> connection;  // set on success, in full feature phase
};
using LoginFlowDone = std::function<void(LoginFlowResult)>;

// Calls `done` exactly once, from the runtime's loop. The successful Connection still has the
// flow's callbacks: the caller replaces them with Connection::set_callbacks().
void run_login_flow(const ClientRuntime& runtime, LoginRequest request, LoginFlowDone done);

// Destroys `connection` from a later loop turn, never inside one of its own callbacks.
void retire(runtime::TimerService& timers, std::shared_ptr<Connection> connection);

// Fills the ISID (random format, RFC 7143 §11.12.5) when it is all zero, and the Rng.
void complete_setup(const ClientRuntime& runtime, login::LoginSetup& setup);

}  // namespace iscsi::initiator::client
