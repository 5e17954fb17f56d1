#pragma once
// Internal: the state of one initiator SessionEngine, shared by the engine_*.cpp files. Each
// file owns one concern: session_engine (public face, outputs, reports, closing, timers),
// engine_numbering (StatSN, ExpCmdSN/MaxCmdSN, the CmdSN window and the request queue),
// engine_commands (SCSI commands and responses, residuals), engine_data_out (immediate,
// unsolicited and R2T data), engine_data_in (Data-In reassembly), engine_nop, engine_tmf,
// engine_text, engine_logout (Logout, Async Message, Reject).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/common/node_cache.hpp"
#include "core/text/accumulator.hpp"
#include "initiator-impl/session/range_set.hpp"
#include "initiator-impl/session/session_engine.hpp"

namespace iscsi::initiator::session {

// Names the PDU a check is about in a violation's detail ("Data-In ITT 0x00000001 with
// status"). The checks run once per received PDU, so the name is formatted (fmt::formatter
// below) only when one of them fails.
struct PduName {
  std::string_view kind;
  std::uint32_t itt = 0;
  std::string_view suffix;
};

// One SCSI command from submit() until its completion.
struct ScsiTask {
  TaskId id = 0;
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  bool sent = false;
  ScsiRequest request;
  // Data-In (reads).
  Bytes data_in;
  RangeSet in_ranges;
  std::uint32_t next_data_sn = 0;
  std::uint32_t data_in_pdus = 0;
  std::uint32_t burst_bytes = 0;  // of the Data-In sequence in progress
  std::uint32_t data_in_counted = 0;  // taken off Impl::data_in_owed_ (at most the EDTL)
  // Data-Out (writes).
  std::uint32_t unsolicited_bytes = 0;  // immediate plus unsolicited Data-Out
  std::uint32_t next_r2t_sn = 0;
  std::uint32_t next_solicited_offset = 0;
  RangeSet solicited;
  std::uint32_t r2ts_unwritten = 0;  // answered R2Ts whose Data-Out is not handed out yet
  // The first protocol error the target made with this task; it completes as protocol_error.
  std::optional<Failure> failure;

  bool reads() const { return request.expected_data_in_length > 0; }
  bool writes() const { return !request.data_out.empty(); }
  std::uint32_t write_length() const { return static_cast<std::uint32_t>(request.data_out.size()); }
};

struct TmfTask {
  TaskId id = 0;
  std::uint32_t itt = 0;
  std::uint32_t cmd_sn = 0;
  pdu::TmfFunction function = pdu::TmfFunction::abort_task;
  pdu::Lun lun{};
  std::optional<std::uint32_t> referenced_itt;
};

// A Text exchange (RFC 7143 §11.10, §11.11): our request in segments, then the answer.
struct TextExchange {
  TaskId id = 0;
  std::uint32_t itt = 0;
  std::deque<text::TextSegment> to_send;  // request segments not sent yet
  text::TextAccumulator accumulator;
  text::KeyValueList received;  // pairs of the answer's completed runs
  bool awaiting_response = false;
};

// A numbered (non-immediate) request waiting for the CmdSN window; the CmdSN is set when it
// goes out, so requests leave in CmdSN order (RFC 7143 §4.2.2.1).
struct QueuedRequest {
  enum class Kind : std::uint8_t { scsi, text, logout };
  Kind kind = Kind::scsi;
  std::uint32_t itt = 0;
  pdu::Pdu pdu;
};

struct LogoutState {
  std::uint32_t itt = 0;
  bool sent = false;
  std::optional<runtime::TimePoint> deadline;
};

struct Ping {
  std::uint32_t itt = 0;
  std::optional<runtime::TimePoint> deadline;
};

struct SessionEngine::Impl {
  // Enough for a deep queue of commands completing and being replaced in one burst; a node is
  // a few hundred bytes.
  static constexpr std::size_t kKeptTaskNodes = 128;

  Impl(SessionSetup setup, runtime::TimePoint now);

  // ---- session_engine.cpp ----------------------------------------------------------------
  void take_outputs(std::vector<Output>& taken);
  // Outputs are built once, where they stay (outputs_): these run for every command, and a
  // PDU or a completion moved on each step costs more than the rest of the step.
  void queue_pdu(pdu::Pdu&& pdu);
  template <class Item>
  void queue_output(Item&& item) {
    outputs_.emplace_back(std::forward<Item>(item));
  }
  void report(const ViolationKind& kind, std::string detail);
  void close(bool graceful, std::string reason);
  void fail_everything(const Failure& failure);
  std::uint32_t new_itt();
  TaskId new_task_id() { return next_task_id_++; }
  bool itt_in_use(std::uint32_t itt) const;
  void on_pdu(pdu::Pdu& pdu);
  void dispatch(pdu::Pdu& pdu);
  void on_frame_error(const pdu::FrameError& error);
  void on_deadline(runtime::TimePoint now);
  std::optional<runtime::TimePoint> next_deadline() const;
  bool accepting() const { return !closed_ && !logout_; }
  std::uint32_t target_mrdsl() const;
  bool discovery() const;

  // ---- engine_numbering.cpp --------------------------------------------------------------
  void check_numbering(const pdu::Pdu& pdu);
  void update_window(std::uint32_t exp_cmd_sn, std::uint32_t max_cmd_sn, const PduName& what);
  void check_stat_sn(std::uint32_t stat_sn, bool carries_status, const PduName& what);
  bool window_open() const;
  void enqueue(QueuedRequest&& request);
  bool may_send(const QueuedRequest& request) const;
  void release_queue();
  void send_numbered(QueuedRequest&& request);
  std::uint32_t immediate_cmd_sn() const { return cmd_sn_; }

  // ---- engine_commands.cpp ---------------------------------------------------------------
  TaskId submit(ScsiRequest request);
  std::optional<std::string> check_request(const ScsiRequest& request) const;
  pdu::Pdu build_command(const ScsiTask& task) const;
  void on_command_sent(ScsiTask& task);
  void on_scsi_response(const pdu::Pdu& pdu);
  void check_residual(const ScsiTask& task, bool overflow, bool underflow, std::uint32_t count,
                      std::uint8_t status, const PduName& what);
  void complete_task(std::uint32_t itt, CommandCompleted&& completion);
  void fail_task(std::uint32_t itt, Failure failure);
  void mark_failed(ScsiTask& task, const ViolationKind& kind, std::string detail);
  std::size_t sent_tasks() const;
  // Data-In the target still owes on the reads sent (SessionEngine::data_in_bytes_owed()).
  void owe_data_in(const ScsiTask& task);
  void count_data_in(ScsiTask& task, std::uint32_t length);
  void forgive_data_in(const ScsiTask& task);
  std::uint64_t data_in_owed() const { return data_in_owed_; }

  // ---- engine_data_out.cpp ---------------------------------------------------------------
  std::uint32_t immediate_length(const ScsiTask& task) const;
  std::uint32_t unsolicited_length(const ScsiTask& task) const;
  void send_data_out(ScsiTask& task, std::uint32_t ttt, pdu::Lun lun, std::uint32_t offset,
                     std::uint32_t length);
  void on_r2t(const pdu::Pdu& pdu);
  bool check_r2t(ScsiTask& task, const pdu::R2t& r2t);

  // ---- engine_data_in.cpp ----------------------------------------------------------------
  void on_data_in(pdu::Pdu& pdu);
  bool accept_data(ScsiTask& task, const pdu::ScsiDataIn& header, Bytes& data);
  void store_data(ScsiTask& task, const pdu::ScsiDataIn& header, Bytes& data);
  void finish_from_data_in(ScsiTask& task, const pdu::ScsiDataIn& header);

  // ---- engine_nop.cpp --------------------------------------------------------------------
  void on_nop_in(const pdu::Pdu& pdu);
  void send_ping(runtime::TimePoint now);
  std::optional<runtime::TimePoint> ping_due() const;

  // ---- engine_tmf.cpp --------------------------------------------------------------------
  TaskId task_management(pdu::TmfFunction function, pdu::Lun lun, std::optional<TaskId> referenced);
  void on_tmf_response(const pdu::Pdu& pdu);
  std::vector<TaskId> abort_affected(const TmfTask& tmf);

  // ---- engine_text.cpp -------------------------------------------------------------------
  TaskId send_text(text::KeyValueList pairs);
  void send_text_request(ByteView data, bool continue_bit, std::uint32_t ttt);
  void on_text_response(const pdu::Pdu& pdu);
  void finish_text(std::optional<Failure> failure, text::KeyValueList pairs);

  // ---- engine_logout.cpp -----------------------------------------------------------------
  void logout(pdu::LogoutReason reason);
  void on_logout_response(const pdu::Pdu& pdu);
  void on_async(const pdu::Pdu& pdu);
  void on_reject(const pdu::Pdu& pdu);
  void fail_rejected(std::uint32_t itt, pdu::Opcode opcode, RejectReceived& event);

  SessionSetup setup_;
  runtime::TimePoint now_;
  runtime::TimePoint last_received_;
  std::vector<Output> outputs_;
  std::uint32_t cmd_sn_;
  std::uint32_t exp_stat_sn_;
  std::uint32_t exp_cmd_sn_;
  std::uint32_t max_cmd_sn_;
  std::uint32_t next_itt_ = 1;
  TaskId next_task_id_ = 1;
  // By ITT, queued ones included. Hashed: looked up for every PDU; the rare walks over all
  // tasks (closing, task management) sort the ITTs first, to act in ITT order.
  using TaskTable = std::unordered_map<std::uint32_t, ScsiTask>;
  TaskTable tasks_;
  // Nodes of completed tasks, for the next submit: no malloc and free per command.
  NodeCache<TaskTable> task_nodes_{kKeptTaskNodes};
  std::size_t sent_count_ = 0;       // tasks_ entries with sent == true
  std::uint64_t data_in_owed_ = 0;   // of sent tasks: EDTL of reads less Data-In received
  bool r2ts_unwritten_any_ = false;  // some task's r2ts_unwritten may be non-zero
  std::map<std::uint32_t, TmfTask> tmfs_;
  std::deque<QueuedRequest> queue_;
  std::optional<TextExchange> text_;
  std::optional<LogoutState> logout_;
  std::optional<Ping> ping_;
  bool closed_ = false;
  std::map<std::string, std::uint32_t, std::less<>> report_counts_;
};

}  // namespace iscsi::initiator::session

template <>
struct fmt::formatter<iscsi::initiator::session::PduName> : fmt::formatter<std::string_view> {
  auto format(const iscsi::initiator::session::PduName& name, fmt::format_context& context) const {
    return fmt::format_to(context.out(), "{} ITT 0x{:08x}{}", name.kind, name.itt, name.suffix);
  }
};
