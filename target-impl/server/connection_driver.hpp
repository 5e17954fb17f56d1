#pragma once
// ConnectionDriver binds one accepted connection to the target's sans-IO engines: it owns the
// Stream and the pdu::Framer, runs the LoginEngine until the Login Final-Response and then a
// SessionEngine, encodes what they answer (with the negotiated digests), reports every PDU,
// state transition and violation to the TraceSink, and keeps the timers the engines ask for.
//
// Timing of the switch to full feature phase (RFC 7143 §11.13, §13.1, §13.12): the Login
// Final-Response itself goes out without digests; the PDUs after it, both ways, carry the
// negotiated digests, and the framer accepts data segments up to the MaxRecvDataSegmentLength
// the target declared.
//
// Back-pressure: when Stream::write() reports a full send buffer, the driver stops decoding
// further PDUs and stops taking engine outputs until on_writable(); incoming bytes wait in a
// bounded inbox meanwhile.
//
// Data-In data segments are not copied: the driver encodes the header (and the pad and data
// digest after the data) and hands the Stream a gathered write whose middle piece points into
// the read buffer (Stream::write_gather). With a TraceSink, PDUs are assembled whole instead,
// as the trace reports whole PDUs.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/pdu/framer.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/timer_service.hpp"
#include "core/runtime/trace_sink.hpp"
#include "target-impl/config/model.hpp"
#include "target-impl/login/login_engine.hpp"
#include "target-impl/server/session_registry.hpp"
#include "target-impl/session/session_engine.hpp"

namespace iscsi::target::server {

class ConnectionDriver;

// What a connection needs from the server (TargetServer implements it).
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  // The login engine's setup for a new connection. `config` receives the configuration
  // snapshot the engine reads; the driver keeps it alive as long as the engine.
  virtual login::LoginSetup login_setup(const runtime::Stream& stream,
                                        std::shared_ptr<const config::SystemConfig>& config) = 0;
  // The login succeeded: register the session and give its full feature setup; nullopt closes
  // the connection (the target went away during the login).
  virtual std::optional<session::SessionSetup> session_started(
      ConnectionDriver& driver, const login::LoginSucceeded& login) = 0;
  virtual void task_management_applied(ConnectionDriver& driver,
                                       const session::TaskManagementApplied& applied) = 0;
  // The connection is over. The host destroys the driver later, never inside this call.
  virtual void connection_finished(ConnectionDriver& driver) = 0;
};

struct DriverSettings {
  // The whole login must finish within this time (tgt: none; open-iscsi waits 15 s).
  runtime::Duration login_timeout = std::chrono::seconds(30);
  // After our FIN (graceful close), how long to wait for the initiator's before resetting.
  runtime::Duration close_linger = std::chrono::seconds(5);
  // Bytes received but not yet decoded while back-pressure holds decoding.
  std::size_t max_held_input_bytes = 64 * 1024 * 1024;
};

struct DriverContext {
  runtime::Clock* clock = nullptr;
  runtime::TimerService* timers = nullptr;
  runtime::TraceSink* trace = nullptr;  // optional
  DriverSettings settings;
};

class ConnectionDriver final : public runtime::StreamHandler, public SessionHandle {
 public:
  enum class Phase : std::uint8_t { login, full_feature, closing, finished };

  ConnectionDriver(ConnectionHost& host, DriverContext context,
                   std::unique_ptr<runtime::Stream> stream);
  ~ConnectionDriver() override;
  ConnectionDriver(const ConnectionDriver&) = delete;
  ConnectionDriver& operator=(const ConnectionDriver&) = delete;

  // Takes over the stream's events and arms the login timeout.
  void start();

  // SessionHandle: server-initiated actions.
  void close_session(std::string_view reason) override;
  void abort_tasks(std::optional<pdu::Lun> lun) override;
  // Async Message "target requests Logout" (RFC 7143 §11.9.1, AsyncEvent 1).
  void request_logout(std::uint16_t time_to_logout_s);

  // runtime::StreamHandler
  void on_data(ByteView bytes) override;
  void on_writable() override;
  void on_closed(runtime::CloseReason reason) override;

  Phase phase() const { return phase_; }
  const runtime::ConnectionKey& key() const { return key_; }
  // Set once the login succeeded.
  const std::optional<login::LoginSucceeded>& login_result() const { return login_result_; }
  scsi::NexusId nexus() const { return nexus_; }

 private:
  void pump();
  bool take_input();
  void handle_pdu(pdu::DecodedPdu decoded);
  void handle_frame_error(const pdu::FrameError& error);
  void apply_login_step(const login::LoginStep& step);
  void enter_full_feature();
  void drain_session();
  void apply_output(session::Output& output);
  // `data`, when not empty, is the PDU's data segment (pdu.data is then empty).
  void send(const pdu::Pdu& pdu, const session::SharedData& data = {});
  void send_shared(const pdu::Pdu& pdu, const session::SharedData& data);
  void trace_received(const pdu::Pdu& pdu);
  void report(const Violation& violation);
  void report_state(std::string_view machine, std::string_view from, std::string_view to);
  void begin_graceful_close();
  void abort_now();
  void finish();
  void reschedule();
  void on_deadline();
  runtime::TimePoint now() const { return context_.clock->now(); }

  ConnectionHost& host_;
  DriverContext context_;
  std::unique_ptr<runtime::Stream> stream_;
  runtime::ConnectionKey key_;
  Phase phase_ = Phase::login;

  std::shared_ptr<const config::SystemConfig> login_config_;
  std::unique_ptr<login::LoginEngine> login_;
  std::optional<login::LoginSucceeded> login_result_;
  std::unique_ptr<session::SessionEngine> session_;
  scsi::NexusId nexus_ = 0;

  pdu::Framer framer_;
  pdu::DigestOptions tx_digests_{};
  Bytes inbox_;    // received, not yet handed to the framer
  Bytes feeding_;  // what the framer reads in place until it asks for more
  bool framer_wants_input_ = true;
  bool write_blocked_ = false;
  bool pumping_ = false;
  Bytes tx_buffer_;   // reused for encoding
  Bytes tx_trailer_;  // pad and data digest after a shared data segment
  // Received bytes kept for TraceSink::on_pdu, from stream offset trace_base_ on.
  Bytes trace_log_;
  std::uint64_t trace_base_ = 0;

  runtime::TimePoint login_deadline_{};
  std::optional<runtime::TimerId> deadline_timer_;
  std::optional<runtime::TimePoint> armed_deadline_;
  std::optional<runtime::TimerId> linger_timer_;
};

}  // namespace iscsi::target::server
