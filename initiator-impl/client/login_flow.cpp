#include "initiator-impl/client/login_flow.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/runtime/address.hpp"
#include "initiator-impl/client/client_violations.hpp"

namespace iscsi::initiator::client {
namespace {

class LoginFlow : public std::enable_shared_from_this<LoginFlow> {
 public:
  LoginFlow(const ClientRuntime& runtime, LoginRequest request, LoginFlowDone done)
      : runtime_(runtime), request_(std::move(request)), done_(std::move(done)) {
    result_.outcome.portal = request_.portal;
  }

  void connect();

 private:
  void connected(std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure);
  void login_done(LoginEnd end);
  void follow_redirect(const login::Redirection& redirection);
  void fail(LoginError error);
  void collect_violations();

  ClientRuntime runtime_;
  LoginRequest request_;
  LoginFlowDone done_;
  LoginFlowResult result_;
  std::shared_ptr<Connection> connection_;
  std::shared_ptr<LoginFlow> self_;  // alive while a connection of ours runs
};

void LoginFlow::connect() {
  runtime::ConnectOptions options;
  options.remote = result_.outcome.portal;
  options.local_ipv4 = request_.source_ipv4;
  options.timeout = request_.connect_timeout;
  runtime_.network->connect(options,
                            [self = shared_from_this()](std::unique_ptr<runtime::Stream> stream,
                                                        runtime::CloseReason failure) {
                              self->connected(std::move(stream), failure);
                            });
}

void LoginFlow::connected(std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure) {
  if (!stream) {
    result_.outcome.transport = failure;
    fail(LoginError::connect_failed);
    return;
  }
  ConnectionContext context{runtime_.clock, runtime_.timers, runtime_.trace, request_.connection};
  Connection::Callbacks callbacks;
  callbacks.login_done = [this](LoginEnd end) { login_done(end); };
  connection_ = std::make_shared<Connection>(context, std::move(stream), std::move(callbacks));
  self_ = shared_from_this();
  connection_->start(request_.setup);
}

void LoginFlow::collect_violations() {
  for (const Violation& violation : connection_->violations()) {
    result_.outcome.violations.push_back(violation);
  }
}

void LoginFlow::login_done(LoginEnd end) {
  collect_violations();
  switch (end) {
    case LoginEnd::succeeded:
      result_.connection = connection_;
      connection_.reset();
      runtime_.timers->schedule_after(runtime::Duration{0}, [keep = std::move(self_)] {});
      done_(std::move(result_));
      return;
    case LoginEnd::failed:
      result_.outcome.failure = connection_->login_failure();
      fail(LoginError::login_failed);
      return;
    case LoginEnd::redirected:
      follow_redirect(*connection_->redirection());
      return;
    case LoginEnd::closed:
      result_.outcome.transport = connection_->close_reason();
      fail(LoginError::closed_during_login);
      return;
    case LoginEnd::timed_out:
      fail(LoginError::login_timeout);
      return;
  }
}

void LoginFlow::follow_redirect(const login::Redirection& redirection) {
  result_.outcome.redirections.push_back(redirection);
  retire(*runtime_.timers, std::move(connection_));
  if (result_.outcome.redirections.size() > request_.max_redirects) {
    fail(LoginError::too_many_redirects);
    return;
  }
  const std::optional<std::uint32_t> address = runtime::parse_ipv4(redirection.target_address.host);
  if (!address) {
    result_.outcome.violations.push_back(Violation{
        violations::kBadRedirectAddress,
        fmt::format("Login Response status 0x{:04x} redirects to \"{}\", not an IPv4 address",
                    redirection.status, redirection.target_address.host)});
    fail(LoginError::bad_redirect);
    return;
  }
  result_.outcome.portal = runtime::Endpoint{*address, redirection.target_address.port};
  runtime_.timers->schedule_after(runtime::Duration{0},
                                  [self = shared_from_this()] { self->connect(); });
}

void LoginFlow::fail(LoginError error) {
  result_.outcome.error = error;
  if (connection_) retire(*runtime_.timers, std::move(connection_));
  if (self_) runtime_.timers->schedule_after(runtime::Duration{0}, [keep = std::move(self_)] {});
  LoginFlowDone done = std::move(done_);
  done(std::move(result_));
}

}  // namespace

void run_login_flow(const ClientRuntime& runtime, LoginRequest request, LoginFlowDone done) {
  complete_setup(runtime, request.setup);
  auto flow = std::make_shared<LoginFlow>(runtime, std::move(request), std::move(done));
  flow->connect();
}

void retire(runtime::TimerService& timers, std::shared_ptr<Connection> connection) {
  if (!connection) return;
  connection->set_callbacks({});
  timers.schedule_after(runtime::Duration{0}, [keep = std::move(connection)] {});
}

void complete_setup(const ClientRuntime& runtime, login::LoginSetup& setup) {
  if (setup.isid == pdu::Isid{}) {
    const std::uint64_t draw = runtime.rng->next_u64();
    setup.isid = pdu::Isid::make(pdu::IsidType::random, 0, static_cast<std::uint16_t>(draw),
                                 static_cast<std::uint8_t>(draw >> 16), 0);
  }
  setup.rng = runtime.rng;
}

}  // namespace iscsi::initiator::client
