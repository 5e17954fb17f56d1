#pragma once
// A logged-in session as the application uses it: SCSI commands with completion callbacks,
// task management, Text exchanges, logout, and events (violations, asynchronous messages,
// rejects, a lost connection and its recovery). Callbacks run on the runtime's loop, possibly
// before the call that caused them returns (a request the engine refuses completes at once).
//
// ERL 0 recovery (RFC 7143 §6.3.5, §7.1): when the connection of a session with
// RecoverySettings::max_attempts > 0 drops in full feature phase and we had not logged out,
// the session logs in again with the same ISID and TSIH 0 (reinstatement, which makes the
// target end the old session and its tasks), then sends every command that had not completed
// again, in the order they were first submitted. A write whose SCSI Response never arrived is
// therefore written again, so no acknowledged write is lost. When the attempts run out, every
// open command completes with FailureReason::connection_lost. A command sent again that meets
// the new nexus's UNIT ATTENTION (SAM-5 §5.14: the reinstatement reset the I_T nexus) is sent
// once more, up to kMaxUnitAttentionRetries times, as the Linux SCSI midlayer does.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/common/node_cache.hpp"
#include "core/common/violation.hpp"
#include "core/runtime/stream.hpp"
#include "initiator-impl/client/connection.hpp"
#include "initiator-impl/client/login_flow.hpp"
#include "initiator-impl/client/login_request.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::initiator::client {

using RequestId = std::uint64_t;

inline constexpr unsigned kMaxUnitAttentionRetries = 3;
// The completion is valid during the call only: copy what must outlive it. Its read data goes
// back to the session's BufferPool afterwards, so the next reads receive into it.
using CommandCallback = std::function<void(const session::CommandCompleted&)>;
using TmfCallback = std::function<void(const session::TaskManagementCompleted&)>;
using TextCallback = std::function<void(const session::TextCompleted&)>;
using LogoutCallback = std::function<void(const session::LogoutCompleted&)>;

struct SessionEvent {
  enum class Kind : std::uint8_t {
    violation,        // the target broke a rule: violation
    async_message,    // async (RFC 7143 §11.9)
    reject,           // reject (RFC 7143 §11.17)
    connection_lost,  // reason; recovery starts when enabled
    reinstated,       // a recovery attempt logged in again; open commands are sent again
    recovery_failed,  // the attempts ran out (outcome of the last one); the session is closed
    closed,           // the connection ended after our logout (reason)
  };
  static SessionEvent of(Kind kind) {
    SessionEvent event;
    event.kind = kind;
    return event;
  }

  Kind kind = Kind::violation;
  std::optional<Violation> violation;
  std::optional<session::AsyncEventReceived> async;
  std::optional<session::RejectReceived> reject;
  std::optional<runtime::CloseReason> reason;
  std::optional<LoginOutcome> recovery;  // recovery_failed, reinstated (without session)
};
using EventCallback = std::function<void(const SessionEvent&)>;

class Session : public std::enable_shared_from_this<Session> {
 public:
  enum class State : std::uint8_t { active, recovering, logging_out, closed };

  // Made by Client::login; `request` is kept for recovery.
  Session(const ClientRuntime& runtime, LoginRequest request,
          std::shared_ptr<Connection> connection);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Starts taking the connection's events (Client::login calls it before handing over).
  void attach();

  RequestId submit(session::ScsiRequest request, CommandCallback done);
  // ABORT TASK of a command submitted here; LOGICAL UNIT RESET (RFC 7143 §11.5.1).
  void abort_task(RequestId request, TmfCallback done);
  void logical_unit_reset(pdu::Lun lun, TmfCallback done);
  // A Text exchange (SendTargets=All in a Discovery session).
  void send_text(text::KeyValueList pairs, TextCallback done);
  // Logout (close the session); `done` gets the Logout Response (or the failure).
  void logout(LogoutCallback done);
  void set_event_handler(EventCallback handler) { on_event_ = std::move(handler); }

  State state() const { return state_; }
  // The login of the current connection (after a reinstatement, the new one).
  const login::LoginResult& login_result() const { return login_result_; }
  const runtime::ConnectionKey& key() const { return key_; }
  // Commands submitted and not yet completed (including those waiting for recovery).
  std::size_t open_commands() const { return commands_.size(); }
  unsigned reinstatements() const { return reinstatements_; }
  // The current connection (after a reinstatement, the new one; check its phase()), for
  // negative tests that write hand-made PDUs on it (Connection::send_raw).
  Connection* current_connection() const { return connection_.get(); }
  const std::vector<Violation>& violations() const { return violations_; }
  // The read buffers given back after completions (see CommandCallback).
  const BufferPool& read_buffers() const { return *buffers_; }

 private:
  struct Command {
    session::ScsiRequest request;  // kept to send again after a reinstatement
    CommandCallback done;
    std::optional<session::TaskId> task;
    bool resent = false;  // sent again after a reinstatement
    unsigned unit_attention_retries = 0;
  };

  void adopt(std::shared_ptr<Connection> connection);
  void send_command(RequestId id, Command& command);
  void on_output(session::Output& output);
  void on_command_completed(session::CommandCompleted& completed);
  bool retry_after_unit_attention(RequestId id, Command& command,
                                  const session::CommandCompleted& completed);
  void on_tmf_completed(const session::TaskManagementCompleted& completed);
  void on_text_completed(const session::TextCompleted& completed);
  void on_logout_completed(const session::LogoutCompleted& completed);
  void on_closed(runtime::CloseReason reason);
  void emit(SessionEvent event);
  void record(const Violation& violation);
  bool recovery_enabled() const;
  // session_recovery.cpp
  void start_recovery();
  void attempt_recovery();
  void recovery_done(LoginFlowResult result);
  void fail_open_commands(session::FailureReason reason, const std::string& detail);
  std::vector<RequestId> open_command_ids() const;  // in submission order
  void flush();

  // Enough for a deep queue of commands completing and being replaced in one burst.
  static constexpr std::size_t kKeptCommandNodes = 128;

  ClientRuntime runtime_;
  LoginRequest request_;
  std::shared_ptr<Connection> connection_;
  // Read buffers handed back after each completion, for the connections' framers (shared: a
  // retired connection may outlive the session).
  std::shared_ptr<BufferPool> buffers_ = std::make_shared<BufferPool>();
  login::LoginResult login_result_;
  runtime::ConnectionKey key_;
  State state_ = State::active;
  EventCallback on_event_;

  RequestId next_request_ = 1;
  // Hashed: looked up for every completion. Sent again after a reinstatement, or failed, in
  // submission order (open_command_ids()).
  using CommandTable = std::unordered_map<RequestId, Command>;
  CommandTable commands_;
  // Nodes of completed commands, for the next submit: no malloc and free per command.
  NodeCache<CommandTable> command_nodes_{kKeptCommandNodes};
  std::unordered_map<session::TaskId, TmfCallback> tmfs_;
  std::unordered_map<session::TaskId, TextCallback> texts_;
  LogoutCallback logout_done_;
  unsigned attempts_ = 0;
  unsigned reinstatements_ = 0;
  std::optional<runtime::TimerId> retry_timer_;
  std::vector<Violation> violations_;
};

}  // namespace iscsi::initiator::client
