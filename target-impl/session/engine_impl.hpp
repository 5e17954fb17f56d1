#pragma once
// Internal: the state of one SessionEngine, shared by the engine_*.cpp files. Each file owns
// one concern: engine_core (outputs, StatSN/ExpCmdSN/MaxCmdSN stamping, timers, closing),
// engine_commands (dispatch, CmdSN ordering, SCSI tasks and their completion), engine_data_out
// (Data-Out, R2Ts, framing errors), engine_task_management (TMF), engine_control (NOP,
// Text, Logout, SNACK, Async).
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/negotiation/state.hpp"
#include "core/text/accumulator.hpp"
#include "target-impl/session/command_window.hpp"
#include "target-impl/session/data_in_stream.hpp"
#include "target-impl/session/session_engine.hpp"
#include "target-impl/session/task_failure.hpp"
#include "target-impl/session/write_transfer.hpp"

namespace iscsi::target::session {

// One SCSI task of this session, from its SCSI Command until its response is queued.
struct Task {
  std::uint64_t serial = 0;  // tells a live completion from a late one of an aborted task
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  pdu::Lun lun{};
  scsi::TaskAttribute attribute = scsi::TaskAttribute::simple;
  Bytes cdb;
  bool read = false;
  bool write = false;
  bool bidi = false;
  std::uint32_t read_length = 0;   // the initiator's Data-In buffer
  std::uint32_t write_length = 0;  // EDTL of a write
  std::optional<WriteTransfer> transfer;
  std::optional<TaskFailure> failure;  // answered without running the command
  std::size_t reserved_bytes = 0;      // share of kMaxSessionWriteBufferBytes
  // Its CmdSN turn has come (RFC 7143 §4.2.2.1). A command that arrives ahead of a CmdSN gap
  // already collects its data (unsolicited Data-Out may follow it at once) but runs only then.
  bool delivered = false;
  bool executing = false;
};

// A Text exchange in full feature phase (RFC 7143 §11.10, §11.11).
struct TextState {
  std::optional<std::uint32_t> itt;  // the exchange in progress
  std::uint32_t ttt = pdu::kReservedTag;  // what the initiator must echo to continue
  text::TextAccumulator accumulator{kMaxTextNegotiationBytes};
  negotiation::NegotiationState negotiation;
  std::deque<text::TextSegment> segments;  // response pieces not yet sent
  bool final_requested = false;            // F of the request being answered
};

using QueueItem = std::variant<Output, DataInStream>;

struct SessionEngine::Impl {
  Impl(SessionSetup setup, runtime::TimePoint now);
  ~Impl();

  // ---- engine_core.cpp -------------------------------------------------------------------
  std::vector<Output> take_outputs();
  void stamp(pdu::Pdu& pdu);
  void refresh_max_cmd_sn();
  void queue_pdu(pdu::Pdu pdu);
  void queue_output(Output output);
  void report(const ViolationKind& kind, std::string detail);
  void report(Violation violation);
  void report_state(std::string from, std::string to);
  void close(bool graceful, std::string reason);
  void end_session();
  void flush_notify();
  std::uint32_t new_ttt();
  void on_deadline(runtime::TimePoint now);
  std::optional<runtime::TimePoint> next_deadline() const;
  void send_ping(runtime::TimePoint now);
  void request_logout(runtime::TimePoint now, std::uint16_t seconds);
  void note_exp_stat_sn(const pdu::Pdu& pdu);
  void reject(pdu::RejectReason reason, Bytes bhs);
  void reject(pdu::RejectReason reason, const pdu::Pdu& pdu);
  bool discovery() const { return setup_.port == nullptr; }
  std::uint32_t initiator_mrdsl() const;

  // ---- engine_commands.cpp ---------------------------------------------------------------
  void on_pdu(pdu::Pdu pdu);
  void admit(pdu::Pdu pdu);
  void process(pdu::Pdu pdu);
  bool check_scsi_command(const pdu::Pdu& pdu);
  void accept_scsi_command(pdu::Pdu pdu, bool delivered);
  void deliver_scsi_command(std::uint32_t itt);
  std::size_t undelivered_tasks() const;
  Task make_task(const pdu::Pdu& pdu);
  void start_if_ready(std::uint32_t itt);
  void execute(Task& task);
  void on_command_done(std::uint32_t itt, std::uint64_t serial, scsi::CommandResult result);
  void complete_task(std::uint32_t itt, scsi::CommandResult result);
  void fail_task(std::uint32_t itt, TaskFailure failure);
  pdu::Pdu scsi_response(const Task& task, std::uint8_t status, const Bytes& sense,
                         const Residual& residual, std::uint32_t data_in_pdus) const;
  void end_task(std::uint32_t itt);

  // ---- engine_data_out.cpp ---------------------------------------------------------------
  void on_data_out(pdu::Pdu pdu);
  void on_frame_error(const pdu::FrameError& error);
  void lose_data_out(const pdu::ScsiDataOut& header, TaskFailure why);
  void grant_r2ts(Task& task);
  void report_verdict(DataVerdict verdict, const pdu::Pdu& pdu);

  // ---- engine_task_management.cpp --------------------------------------------------------
  void process_tmf(const pdu::Pdu& pdu);
  pdu::TmfResponse abort_task(const pdu::TaskMgmtRequest& request);
  pdu::TmfResponse lun_function(const pdu::TaskMgmtRequest& request);
  pdu::TmfResponse target_reset(const pdu::TaskMgmtRequest& request);
  void abort_matching(std::optional<pdu::Lun> lun, std::uint32_t before_cmd_sn, bool queued);
  void drop_task(std::uint32_t itt);

  // ---- engine_control.cpp ----------------------------------------------------------------
  void on_nop_out(pdu::Pdu pdu);
  void process_nop_out(const pdu::Pdu& pdu);
  void process_text(const pdu::Pdu& pdu);
  void answer_text(const pdu::Pdu& pdu, const text::KeyValueList& pairs);
  void send_text_segment(const pdu::TextRequest& request);
  void reset_text();
  void process_logout(const pdu::Pdu& pdu);
  void finish_logout();
  void on_snack(const pdu::Pdu& pdu);

  SessionSetup setup_;
  std::shared_ptr<Impl*> lifeline_;  // completions from the Port hold a weak_ptr to it
  std::function<void()> notify_;
  std::deque<QueueItem> queue_;
  std::size_t queued_streams_ = 0;
  CommandWindow window_;
  std::uint32_t command_window_;
  std::uint32_t max_cmd_sn_;
  std::uint32_t stat_sn_;
  std::uint32_t acked_stat_sn_;
  std::map<std::uint32_t, Task> tasks_;  // by ITT
  std::uint64_t next_serial_ = 1;
  std::uint32_t next_ttt_ = 1;
  std::size_t write_buffer_bytes_ = 0;
  std::deque<std::uint32_t> aborted_itts_;
  std::vector<std::pair<std::uint32_t, std::pair<std::uint64_t, scsi::CommandResult>>> deferred_;
  int port_calls_ = 0;
  int depth_ = 0;
  runtime::TimePoint now_;
  runtime::TimePoint last_activity_;
  std::optional<std::uint32_t> ping_ttt_;
  runtime::TimePoint ping_deadline_{};
  std::optional<pdu::LogoutRequest> pending_logout_;
  bool logout_received_ = false;
  std::optional<runtime::TimePoint> logout_deadline_;
  TextState text_;
  bool closed_ = false;
  bool nexus_active_ = false;
  std::string state_ = "full_feature";
  std::map<std::string, std::uint32_t, std::less<>> report_counts_;
};

}  // namespace iscsi::target::session
