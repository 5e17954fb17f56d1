#include "initiator-impl/client/session.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

namespace iscsi::initiator::client {

Session::Session(const ClientRuntime& runtime, LoginRequest request,
                 std::shared_ptr<Connection> connection)
    : runtime_(runtime), request_(std::move(request)), connection_(std::move(connection)) {
  login_result_ = *connection_->login_result();
  key_ = connection_->key();
  // A reinstatement logs in with the same ISID and TSIH 0 (RFC 7143 §6.3.5).
  request_.setup.isid = login_result_.isid;
  request_.setup.tsih = 0;
}

Session::~Session() {
  if (retry_timer_) runtime_.timers->cancel(*retry_timer_);
  if (connection_) {
    connection_->set_callbacks({});
    connection_->close("session destroyed");
    retire(*runtime_.timers, std::move(connection_));
  }
}

void Session::attach() { adopt(connection_); }

void Session::adopt(std::shared_ptr<Connection> connection) {
  connection_ = std::move(connection);
  login_result_ = *connection_->login_result();
  key_ = connection_->key();
  Connection::Callbacks callbacks;
  callbacks.session_output = [this](session::Output& output) { on_output(output); };
  callbacks.closed = [this](runtime::CloseReason reason) { on_closed(reason); };
  connection_->set_callbacks(std::move(callbacks));
  connection_->set_buffer_pool(buffers_);
}

void Session::flush() {
  if (connection_) connection_->flush();
}

RequestId Session::submit(session::ScsiRequest request, CommandCallback done) {
  const RequestId id = next_request_++;
  if (state_ == State::closed || state_ == State::logging_out) {
    session::CommandCompleted refused;
    refused.failure = session::Failure{session::FailureReason::session_closing,
                                       "the session is logged out or closed"};
    if (done) done(refused);
    return id;
  }
  Command& command = command_nodes_.emplace(commands_, id)->second;
  command.request = std::move(request);
  command.done = std::move(done);
  if (state_ == State::active) {
    send_command(id, command);
    flush();
  }
  return id;
}

// The engine takes a copy when the command may have to be sent again after a reinstatement.
void Session::send_command(RequestId id, Command& command) {
  session::SessionEngine* engine = connection_ ? connection_->engine() : nullptr;
  if (engine == nullptr) return;
  command.request.tag = id;  // how its completion finds the command
  const session::TaskId task = recovery_enabled() ? engine->submit(command.request)
                                                  : engine->submit(std::move(command.request));
  command.task = task;
}

void Session::abort_task(RequestId request, TmfCallback done) {
  session::SessionEngine* engine = connection_ ? connection_->engine() : nullptr;
  auto it = commands_.find(request);
  if (engine == nullptr || it == commands_.end() || !it->second.task) {
    session::TaskManagementCompleted failed;
    failed.failure = session::Failure{session::FailureReason::invalid_request,
                                      "no such command in flight on this connection"};
    if (done) done(failed);
    return;
  }
  tmfs_[engine->abort_task(*it->second.task)] = std::move(done);
  flush();
}

void Session::logical_unit_reset(pdu::Lun lun, TmfCallback done) {
  session::SessionEngine* engine = connection_ ? connection_->engine() : nullptr;
  if (engine == nullptr) {
    session::TaskManagementCompleted failed;
    failed.function = pdu::TmfFunction::logical_unit_reset;
    failed.failure =
        session::Failure{session::FailureReason::session_closing, "the session has no connection"};
    if (done) done(failed);
    return;
  }
  tmfs_[engine->logical_unit_reset(lun)] = std::move(done);
  flush();
}

void Session::send_text(text::KeyValueList pairs, TextCallback done) {
  session::SessionEngine* engine = connection_ ? connection_->engine() : nullptr;
  if (engine == nullptr) {
    session::TextCompleted failed;
    failed.failure =
        session::Failure{session::FailureReason::session_closing, "the session has no connection"};
    if (done) done(failed);
    return;
  }
  texts_[engine->send_text(std::move(pairs))] = std::move(done);
  flush();
}

void Session::logout(LogoutCallback done) {
  session::SessionEngine* engine = connection_ ? connection_->engine() : nullptr;
  if (engine == nullptr || state_ != State::active) {
    session::LogoutCompleted failed;
    failed.failure = session::Failure{session::FailureReason::session_closing,
                                      "the session is not in full feature phase"};
    if (done) done(failed);
    return;
  }
  state_ = State::logging_out;
  logout_done_ = std::move(done);
  engine->logout(pdu::LogoutReason::close_session);
  flush();
}

void Session::on_output(session::Output& output) {
  auto keep = shared_from_this();
  std::visit(
      [this](auto& item) {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, session::CommandCompleted>) {
          on_command_completed(item);
        } else if constexpr (std::is_same_v<T, session::TaskManagementCompleted>) {
          on_tmf_completed(item);
        } else if constexpr (std::is_same_v<T, session::TextCompleted>) {
          on_text_completed(item);
        } else if constexpr (std::is_same_v<T, session::LogoutCompleted>) {
          on_logout_completed(item);
        } else if constexpr (std::is_same_v<T, session::ReportViolation>) {
          record(item.violation);
          SessionEvent event = SessionEvent::of(SessionEvent::Kind::violation);
          event.violation = item.violation;
          emit(std::move(event));
        } else if constexpr (std::is_same_v<T, session::AsyncEventReceived>) {
          SessionEvent event = SessionEvent::of(SessionEvent::Kind::async_message);
          event.async = item;
          emit(std::move(event));
        } else if constexpr (std::is_same_v<T, session::RejectReceived>) {
          SessionEvent event = SessionEvent::of(SessionEvent::Kind::reject);
          event.reject = item;
          emit(std::move(event));
        } else {
          // SendPdu and CloseConnection stay inside the Connection.
          static_assert(std::is_same_v<T, session::SendPdu> ||
                        std::is_same_v<T, session::CloseConnection>);
        }
      },
      output);
}

void Session::on_command_completed(session::CommandCompleted& completed) {
  auto it = commands_.find(completed.tag);
  // Only the task the command was last sent as (a retried command was sent again).
  if (it == commands_.end() || it->second.task != completed.task) return;
  const RequestId id = it->first;
  const bool lost =
      completed.failure && completed.failure->reason == session::FailureReason::connection_lost;
  if (lost && recovery_enabled() && state_ == State::active) {
    it->second.task.reset();  // kept: sent again after the reinstatement
    return;
  }
  if (retry_after_unit_attention(id, it->second, completed)) return;
  CommandCallback done = std::move(it->second.done);
  command_nodes_.erase(commands_, it);
  if (done) done(completed);
  buffers_->give(std::move(completed.data_in));
}

void Session::on_tmf_completed(const session::TaskManagementCompleted& completed) {
  auto it = tmfs_.find(completed.task);
  if (it == tmfs_.end()) return;
  TmfCallback done = std::move(it->second);
  tmfs_.erase(it);
  if (done) done(completed);
}

void Session::on_text_completed(const session::TextCompleted& completed) {
  auto it = texts_.find(completed.task);
  if (it == texts_.end()) return;
  TextCallback done = std::move(it->second);
  texts_.erase(it);
  if (done) done(completed);
}

void Session::on_logout_completed(const session::LogoutCompleted& completed) {
  LogoutCallback done = std::move(logout_done_);
  logout_done_ = nullptr;
  if (done) done(completed);
}

void Session::on_closed(runtime::CloseReason reason) {
  auto keep = shared_from_this();
  retire(*runtime_.timers, std::move(connection_));
  if (state_ == State::logging_out || state_ == State::closed) {
    state_ = State::closed;
    fail_open_commands(session::FailureReason::connection_lost, "the session was logged out");
    SessionEvent event = SessionEvent::of(SessionEvent::Kind::closed);
    event.reason = reason;
    emit(std::move(event));
    return;
  }
  SessionEvent event = SessionEvent::of(SessionEvent::Kind::connection_lost);
  event.reason = reason;
  emit(std::move(event));
  if (!recovery_enabled()) {
    state_ = State::closed;
    fail_open_commands(session::FailureReason::connection_lost,
                       fmt::format("the connection ended ({})", runtime::to_string(reason)));
    return;
  }
  start_recovery();
}

void Session::emit(SessionEvent event) {
  // A copy: the handler may replace itself.
  if (auto handler = on_event_) handler(event);
}

void Session::record(const Violation& violation) {
  if (violations_.size() < kMaxRecordedViolations) violations_.push_back(violation);
}

bool Session::recovery_enabled() const {
  return request_.recovery.max_attempts > 0 &&
         login_result_.session.session_type == negotiation::SessionType::normal;
}

}  // namespace iscsi::initiator::client
