// SendTargets discovery (RFC 7143 §13.3, Appendix C): a Discovery session login, one Text
// exchange SendTargets=All, then logout; the outcome comes after the connection ended.
#include <utility>

#include "initiator-impl/client/client.hpp"
#include "initiator-impl/client/client_violations.hpp"

namespace iscsi::initiator::client {
namespace {

struct DiscoveryRun {
  DiscoveryOutcome outcome;
  DiscoveryCallback done;
  std::shared_ptr<Session> session;

  void finish() {
    if (session) {
      for (const Violation& violation : session->violations()) {
        outcome.violations.push_back(violation);
      }
      session->set_event_handler(nullptr);
    }
    DiscoveryCallback callback = std::move(done);
    done = nullptr;
    session.reset();
    if (callback) callback(std::move(outcome));
  }
};

void read_answer(DiscoveryRun& run, const session::TextCompleted& completed) {
  if (completed.failure) {
    run.outcome.text_failure = completed.failure;
    return;
  }
  auto records = text::parse_send_targets_response(completed.pairs);
  if (!records.ok()) {
    run.outcome.parse_error = records.error();
    return;
  }
  run.outcome.targets = std::move(records.value());
}

void query_and_logout(const std::shared_ptr<DiscoveryRun>& run) {
  // The outcome is handed over once the connection is closed (after the Logout Response, or
  // after the loss that failed the exchange).
  run->session->set_event_handler([run](const SessionEvent& event) {
    if (event.kind == SessionEvent::Kind::closed ||
        event.kind == SessionEvent::Kind::connection_lost) {
      run->finish();
    }
  });
  run->session->send_text({{"SendTargets", "All"}}, [run](const session::TextCompleted& done) {
    read_answer(*run, done);
    if (!run->session) return;
    run->session->logout([run](const session::LogoutCompleted& logout) {
      if (logout.failure && run->session && run->session->state() == Session::State::closed) {
        run->finish();
      }
    });
  });
}

}  // namespace

void Client::discover(LoginRequest request, DiscoveryCallback done) {
  request.setup.target_name.clear();
  request.recovery.max_attempts = 0;
  auto run = std::make_shared<DiscoveryRun>();
  run->done = std::move(done);
  login(std::move(request), [run](LoginOutcome outcome) {
    run->session = std::move(outcome.session);
    run->outcome.violations = outcome.violations;
    run->outcome.login = std::move(outcome);
    if (!run->session) {
      run->finish();
      return;
    }
    query_and_logout(run);
  });
}

}  // namespace iscsi::initiator::client
