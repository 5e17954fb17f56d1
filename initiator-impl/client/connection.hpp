#pragma once
// Connection binds one TCP connection of the initiator to the sans-IO engines, as
// target-impl/server/connection_driver does for the target: it owns the Stream and the
// pdu::Framer, runs the LoginEngine until the Login Final-Response and then a SessionEngine,
// encodes what they produce, reports every PDU (both ways), state change and violation to the
// TraceSink, and keeps the engines' deadlines on the TimerService.
//
// Digests (RFC 7143 §11.13, §13.1, §13.12): Login PDUs go without digests; the PDUs after the
// Login Final-Response, both ways, carry the negotiated ones, and the framer accepts data
// segments up to the MaxRecvDataSegmentLength we declared.
//
// Back-pressure: when Stream::write() reports a full send buffer the connection stops taking
// engine outputs and decoding input until on_writable(); input waits in a bounded inbox.
// Otherwise the framer decodes received bytes in place, without going through the inbox.
//
// The login engine has no "closed" input: a transport that ends before the Final-Response, or a
// login that outlives the login timeout, ends the login here (LoginEnd::closed, timed_out).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pdu/framer.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/trace_sink.hpp"
#include "initiator-impl/client/command_batch.hpp"
#include "initiator-impl/login/login_engine.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::initiator::client {

// Violations kept per connection for the application (the TraceSink sees all of them).
inline constexpr std::size_t kMaxRecordedViolations = 256;

struct ConnectionSettings {
  // open-iscsi's node.conn[0].timeo.login_timeout.
  runtime::Duration login_timeout = std::chrono::seconds(15);
  // After our FIN (after a Logout Response), how long to wait for the target's before a reset.
  runtime::Duration close_linger = std::chrono::seconds(5);
  // Bytes received but not yet decoded while back-pressure holds decoding.
  std::size_t max_held_input_bytes = 64 * 1024 * 1024;
  session::NopSettings nop;
  session::SessionLimits limits;
  // SCSI Command PDUs sharing one write while the target is busy (command_batch.hpp).
  CommandBatchSettings batching;
};

struct ConnectionContext {
  runtime::Clock* clock = nullptr;
  runtime::TimerService* timers = nullptr;
  runtime::TraceSink* trace = nullptr;  // optional
  ConnectionSettings settings;
};

// How the login on a connection ended.
enum class LoginEnd : std::uint8_t {
  succeeded,   // full feature phase: engine() is set
  failed,      // login_failure() says why
  redirected,  // redirection() says where
  closed,      // the transport ended first: close_reason()
  timed_out,   // ConnectionSettings::login_timeout passed
};
std::string_view to_string(LoginEnd end);

// Maps a successful login onto the full feature phase engine's setup.
session::SessionSetup make_session_setup(const login::LoginResult& result,
                                         const ConnectionSettings& settings);

class Connection final : public runtime::StreamHandler {
 public:
  enum class Phase : std::uint8_t { login, full_feature, closing, finished };

  // Called on the runtime's loop, never from inside a call the owner made into Connection
  // except flush() and close(). The owner must not destroy the Connection inside them.
  struct Callbacks {
    std::function<void(LoginEnd)> login_done;              // exactly once
    std::function<void(session::Output&)> session_output;  // completions, events, violations
    std::function<void(runtime::CloseReason)> closed;      // once, only after login succeeded
  };

  Connection(ConnectionContext context, std::unique_ptr<runtime::Stream> stream,
             Callbacks callbacks);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Who is told from now on (the login flow hands a successful connection to its session).
  void set_callbacks(Callbacks callbacks) { callbacks_ = std::move(callbacks); }
  // Sends the first Login Request and arms the login timeout.
  void start(login::LoginSetup setup);
  // The full feature phase engine, once the login succeeded (null before and after the end).
  session::SessionEngine* engine() {
    return phase_ == Phase::full_feature ? engine_.get() : nullptr;
  }
  // Sends what the engine produced after the owner called into it.
  void flush();
  // Receives data segments into buffers of `pool` (pdu::Framer::set_buffer_pool).
  void set_buffer_pool(std::shared_ptr<BufferPool> pool) {
    framer_.set_buffer_pool(std::move(pool));
  }
  // Resets the connection now (RST); in full feature phase every open request fails.
  void close(std::string_view reason);
  // For negative tests (the scenario runner's raw_pdu steps): writes `wire` exactly as given,
  // reported to the TraceSink like any PDU we send; the engines never see it. Ignored once the
  // connection has finished.
  void send_raw(ByteView wire);
  // The digests our PDUs carry (none until the full feature phase, RFC 7143 §13.1).
  const pdu::DigestOptions& tx_digests() const { return tx_digests_; }

  Phase phase() const { return phase_; }
  const runtime::ConnectionKey& key() const { return key_; }
  const std::optional<login::LoginResult>& login_result() const { return login_result_; }
  const std::optional<login::LoginFailure>& login_failure() const { return login_failure_; }
  const std::optional<login::Redirection>& redirection() const { return redirection_; }
  std::optional<runtime::CloseReason> close_reason() const { return close_reason_; }
  const std::vector<Violation>& violations() const { return violations_; }

  // runtime::StreamHandler
  void on_data(ByteView bytes) override;
  void on_writable() override;
  void on_closed(runtime::CloseReason reason) override;
  runtime::ReceiveBuffer receive_buffer() override;
  void on_received_in_place(std::size_t count) override;
  std::size_t receive_batch_bytes() override;

 private:
  void pump();
  void decode_in_place(ByteView bytes);
  bool take_input();
  void handle_pdu(pdu::DecodedPdu& decoded);
  void handle_frame_error(const pdu::FrameError& error);
  void apply_login_step(login::LoginStep step);
  void end_login(LoginEnd end);
  void enter_full_feature();
  void apply_output(session::Output& output);
  void send(const pdu::Pdu& pdu);
  // Commands sent and not answered that the target has (held ones are not sent yet).
  std::size_t commands_at_target() const;
  void write_held_commands();
  void write_bytes(ByteView wire);
  void trace_received(const pdu::Pdu& pdu);
  void report(const Violation& violation);
  void report_state(std::string_view machine, std::string_view from, std::string_view to);
  void begin_graceful_close();
  void transport_ended(runtime::CloseReason reason);
  void finish(runtime::CloseReason reason);
  void reschedule();
  void on_deadline();
  runtime::TimePoint now() const { return context_.clock->now(); }

  ConnectionContext context_;
  std::unique_ptr<runtime::Stream> stream_;
  Callbacks callbacks_;
  runtime::ConnectionKey key_;
  Phase phase_ = Phase::login;

  std::unique_ptr<login::LoginEngine> login_;
  std::optional<login::LoginResult> login_result_;
  std::optional<login::LoginFailure> login_failure_;
  std::optional<login::Redirection> redirection_;
  std::optional<runtime::CloseReason> close_reason_;
  std::unique_ptr<session::SessionEngine> engine_;
  std::vector<Violation> violations_;

  pdu::Framer framer_;
  pdu::DigestOptions tx_digests_{};
  Bytes inbox_;
  Bytes feeding_;
  bool framer_wants_input_ = true;
  std::size_t last_data_length_ = 0;  // of the last PDU decoded (receive_buffer())
  bool write_blocked_ = false;
  bool pumping_ = false;
  bool draining_ = false;
  std::deque<session::Output> pending_;
  std::vector<session::Output> output_scratch_;  // flush()'s list of taken outputs, kept
  std::optional<runtime::CloseReason> closed_deferred_;
  Bytes tx_buffer_;
  CommandBatch held_commands_{context_.settings.batching};
  Bytes trace_log_;
  std::uint64_t trace_base_ = 0;

  runtime::TimePoint login_deadline_{};
  std::optional<runtime::TimerId> deadline_timer_;
  std::optional<runtime::TimePoint> armed_deadline_;
  std::optional<runtime::TimerId> linger_timer_;
};

}  // namespace iscsi::initiator::client
