#include "initiator-impl/client/client.hpp"

#include <utility>

#include "initiator-impl/client/login_flow.hpp"

namespace iscsi::initiator::client {

void Client::login(LoginRequest request, LoginCallback done) {
  const ClientRuntime runtime = runtime_;
  LoginRequest kept = request;
  run_login_flow(
      runtime_, std::move(request),
      [runtime, kept = std::move(kept), done = std::move(done)](LoginFlowResult result) mutable {
        if (result.connection) {
          auto session =
              std::make_shared<Session>(runtime, std::move(kept), std::move(result.connection));
          session->attach();
          result.outcome.session = std::move(session);
        }
        done(std::move(result.outcome));
      });
}

}  // namespace iscsi::initiator::client
