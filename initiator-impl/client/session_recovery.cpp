// ERL 0 recovery of a Session (RFC 7143 §6.3.5, §7.1): reconnect, reinstate, send again.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "initiator-impl/client/session.hpp"

namespace iscsi::initiator::client {

void Session::start_recovery() {
  state_ = State::recovering;
  attempts_ = 0;
  attempt_recovery();
}

// Each attempt waits retry_delay first: the target needs the time to notice the old
// connection is gone (DefaultTime2Wait, RFC 7143 §13.15).
void Session::attempt_recovery() {
  ++attempts_;
  std::weak_ptr<Session> weak = weak_from_this();
  retry_timer_ = runtime_.timers->schedule_after(request_.recovery.retry_delay, [weak] {
    auto self = weak.lock();
    if (!self) return;
    self->retry_timer_.reset();
    runtime::TimerService* timers = self->runtime_.timers;
    run_login_flow(self->runtime_, self->request_, [weak, timers](LoginFlowResult result) {
      if (auto session = weak.lock()) {
        session->recovery_done(std::move(result));
      } else if (result.connection) {
        result.connection->close("the session is gone");
        retire(*timers, std::move(result.connection));
      }
    });
  });
}

void Session::recovery_done(LoginFlowResult result) {
  auto keep = shared_from_this();
  for (const Violation& violation : result.outcome.violations) record(violation);
  if (state_ != State::recovering) {
    if (result.connection) {
      result.connection->close("recovery no longer wanted");
      retire(*runtime_.timers, std::move(result.connection));
    }
    return;
  }
  if (!result.connection) {
    if (attempts_ < request_.recovery.max_attempts) {
      attempt_recovery();
      return;
    }
    state_ = State::closed;
    fail_open_commands(
        session::FailureReason::connection_lost,
        fmt::format("recovery failed after {} attempts: {}", attempts_, result.outcome.describe()));
    SessionEvent event = SessionEvent::of(SessionEvent::Kind::recovery_failed);
    event.recovery = std::move(result.outcome);
    emit(std::move(event));
    return;
  }
  adopt(std::move(result.connection));
  state_ = State::active;
  ++reinstatements_;
  for (const RequestId id : open_command_ids()) {
    Command& command = commands_.at(id);
    command.resent = true;
    send_command(id, command);
  }
  SessionEvent event = SessionEvent::of(SessionEvent::Kind::reinstated);
  event.recovery = std::move(result.outcome);
  emit(std::move(event));
  flush();
}

namespace {

// The sense key of fixed (70h/71h) or descriptor (72h/73h) format sense data (SPC-4 §4.5).
std::optional<std::uint8_t> sense_key(ByteView sense) {
  if (sense.size() < 3) return std::nullopt;
  const std::uint8_t code = sense[0] & 0x7f;
  if (code == 0x70 || code == 0x71) return static_cast<std::uint8_t>(sense[2] & 0x0f);
  if (code == 0x72 || code == 0x73) return static_cast<std::uint8_t>(sense[1] & 0x0f);
  return std::nullopt;
}

constexpr std::uint8_t kCheckCondition = 0x02;
constexpr std::uint8_t kUnitAttention = 0x06;

}  // namespace

bool Session::retry_after_unit_attention(RequestId id, Command& command,
                                         const session::CommandCompleted& completed) {
  if (!command.resent || completed.failure || completed.status != kCheckCondition ||
      sense_key(completed.sense) != kUnitAttention ||
      command.unit_attention_retries >= kMaxUnitAttentionRetries || state_ != State::active) {
    return false;
  }
  ++command.unit_attention_retries;
  send_command(id, command);
  return true;
}

std::vector<RequestId> Session::open_command_ids() const {
  std::vector<RequestId> ids;
  ids.reserve(commands_.size());
  for (const auto& [id, command] : commands_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

void Session::fail_open_commands(session::FailureReason reason, const std::string& detail) {
  const std::vector<RequestId> ids = open_command_ids();
  std::unordered_map<RequestId, Command> open = std::move(commands_);
  commands_.clear();
  for (const RequestId id : ids) {
    session::CommandCompleted failed;
    failed.failure = session::Failure{reason, detail};
    if (Command& command = open.at(id); command.done) command.done(failed);
  }
}

}  // namespace iscsi::initiator::client
