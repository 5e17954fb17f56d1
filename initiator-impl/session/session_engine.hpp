#pragma once
// The full feature phase of one initiator session on one connection (RFC 7143 §4.2, §11,
// ERL 0), sans-IO: application requests and decoded target PDUs in, PDUs to send and
// completions out, time passed in. It is the mirror image of target-impl/session: it numbers
// commands inside the CmdSN window (queuing the rest), sends immediate, unsolicited and
// solicited (R2T) data, reassembles Data-In, checks residuals, pings with NOP-Out and answers
// the target's NOP-In, runs task management, Text exchanges (SendTargets), Logout, and reports
// every rule the target breaks as a Violation with a stable id ("initiator-session.*").
//
// The connection driver owns the Framer and the Stream: it feeds decoded PDUs and framing
// errors, encodes what take_outputs() returns (after every call into the engine), and calls
// on_deadline() at next_deadline(). Nothing completes asynchronously inside the engine, so
// outputs appear only during calls.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/violation.hpp"
#include "core/negotiation/parameters.hpp"
#include "core/pdu/framer.hpp"
#include "core/pdu/pdu.hpp"
#include "core/runtime/clock.hpp"
#include "core/text/key_value.hpp"
#include "initiator-impl/session/cdb_bytes.hpp"
#include "initiator-impl/session/session_limits.hpp"

namespace iscsi::initiator::session {

// Identifies one request of the application (a SCSI command, a task management function or a
// Text exchange) for its whole life; never reused within an engine. ITTs are separate.
using TaskId = std::uint64_t;

struct NopSettings {
  // Send a NOP-Out ping when nothing arrived from the target for this long; zero: never.
  runtime::Duration interval{0};
  // Close the connection when a ping stays unanswered this long; zero: wait forever.
  runtime::Duration timeout{0};
};

struct SessionLimits {
  std::size_t max_outstanding_tasks = kDefaultMaxOutstandingTasks;
  std::size_t max_queued_commands = kDefaultMaxQueuedCommands;
  std::size_t max_text_bytes = kDefaultMaxTextBytes;
  std::uint32_t max_data_in_bytes_per_task = kDefaultMaxDataInBytesPerTask;
  std::uint32_t max_data_out_bytes_per_task = kDefaultMaxDataOutBytesPerTask;
  // How long a Logout Response may take before the connection is closed anyway.
  runtime::Duration logout_timeout{std::chrono::seconds(15)};
};

// What the login left behind (the connection driver fills it from the login helper's result).
struct SessionSetup {
  negotiation::SessionParameters session;        // session_type tells Discovery from Normal
  negotiation::ConnectionParameters connection;  // both directions' MaxRecvDataSegmentLength
  pdu::Isid isid{};
  std::uint16_t tsih = 0;
  std::uint16_t cid = 0;
  std::uint32_t cmd_sn = 0;       // the next CmdSN to use (RFC 7143 §4.2.2.1)
  std::uint32_t exp_stat_sn = 0;  // the StatSN the first full feature response must carry
  std::uint32_t exp_cmd_sn = 0;   // from the Login Final-Response
  std::uint32_t max_cmd_sn = 0;   // from the Login Final-Response
  NopSettings nop;
  SessionLimits limits;
};

struct ScsiRequest {
  pdu::Lun lun{};
  CdbBytes cdb;    // 1 to 260 bytes; bytes past 16 go into an Extended-CDB AHS
  Bytes data_out;  // the whole write buffer; non-empty sets W and EDTL = its size
  std::uint32_t expected_data_in_length = 0;  // non-zero sets R (bidirectional: not supported)
  pdu::TaskAttribute attribute = pdu::TaskAttribute::simple;
  std::uint64_t tag = 0;  // the caller's own name for the request, returned in its completion
};

// Why a request ended without a target answer (or with an unusable one).
enum class FailureReason : std::uint8_t {
  aborted,          // a task management function ended the task
  connection_lost,  // the transport closed (or the engine closed it) before the answer
  rejected,         // the target sent a Reject naming the request's PDU
  protocol_error,   // the target broke a rule for this task (see the ReportViolation)
  invalid_request,  // refused before sending (bad CDB, lengths above the limits ...)
  queue_full,       // SessionLimits::max_queued_commands requests were waiting already
  session_closing,  // submitted after logout() or after the engine closed
  busy,             // a Text exchange (or logout) is already in progress
};
std::string_view to_string(FailureReason reason);

struct Failure {
  FailureReason reason = FailureReason::connection_lost;
  std::string detail;
};

struct SendPdu {
  pdu::Pdu pdu;
};
struct ReportViolation {
  Violation violation;
};
struct CommandCompleted {
  TaskId task = 0;
  std::uint64_t tag = 0;  // ScsiRequest::tag
  std::uint32_t itt = 0;
  std::optional<Failure> failure;  // set: the fields below carry whatever had arrived
  pdu::ScsiResponseCode response = pdu::ScsiResponseCode::command_completed_at_target;
  std::uint8_t status = 0;          // SCSI status (SAM-5), valid when response is 0
  Bytes sense;                      // sense data without the SenseLength prefix
  Bytes data_in;                    // reassembled Data-In, at most expected_data_in_length
  bool residual_overflow = false;   // O
  bool residual_underflow = false;  // U
  std::uint32_t residual_count = 0;
  bool status_in_data_in = false;  // phase collapse: status came in the last Data-In (S=1)
};
struct TaskManagementCompleted {
  TaskId task = 0;
  pdu::TmfFunction function = pdu::TmfFunction::abort_task;
  std::optional<Failure> failure;
  pdu::TmfResponse response = pdu::TmfResponse::function_complete;
  // The SCSI tasks that the function ended (each also got a CommandCompleted, aborted).
  std::vector<TaskId> aborted;
};
struct TextCompleted {
  TaskId task = 0;
  std::optional<Failure> failure;
  text::KeyValueList pairs;
};
struct LogoutCompleted {
  std::optional<Failure> failure;
  pdu::LogoutResponseCode response = pdu::LogoutResponseCode::closed_successfully;
  std::uint16_t time2wait = 0;
  std::uint16_t time2retain = 0;
};
// An Asynchronous Message other than "logout requested" (which the engine acts on itself), or
// that one too, for the record: the driver shows it; event 4 asks for a Text negotiation.
struct AsyncEventReceived {
  pdu::AsyncMessage message;
  Bytes data;  // sense data for event 0 (SCSI async event)
};
// A Reject from the target (RFC 7143 §11.17): the request it names, if any, also fails.
struct RejectReceived {
  pdu::RejectReason reason = pdu::RejectReason::protocol_error;
  Bytes rejected_bhs;
  std::optional<TaskId> task;
};
// End the connection: after the queued PDUs are written (graceful: after a Logout Response) or
// at once (a fatal violation, a NOP timeout).
struct CloseConnection {
  bool graceful = true;
  std::string reason;
};
using Output =
    std::variant<SendPdu, ReportViolation, CommandCompleted, TaskManagementCompleted, TextCompleted,
                 LogoutCompleted, AsyncEventReceived, RejectReceived, CloseConnection>;

class SessionEngine {
 public:
  SessionEngine(SessionSetup setup, runtime::TimePoint now);
  ~SessionEngine();
  SessionEngine(const SessionEngine&) = delete;
  SessionEngine& operator=(const SessionEngine&) = delete;

  // ---- application requests (each answered by exactly one completion output) ----------------
  // A SCSI command; sent at once when the CmdSN window and the task limit allow, queued
  // otherwise. Refused requests complete at once with a Failure.
  TaskId submit(ScsiRequest request);
  // Task management (RFC 7143 §11.5), sent as immediate commands. abort_task names a TaskId of
  // a SCSI command; one that has not been sent yet is dropped locally without a PDU.
  TaskId abort_task(TaskId task);
  TaskId abort_task_set(pdu::Lun lun);
  TaskId clear_task_set(pdu::Lun lun);
  TaskId logical_unit_reset(pdu::Lun lun);
  TaskId target_warm_reset();
  TaskId target_cold_reset();
  // A Text exchange (RFC 7143 §11.10): SendTargets=All in a Discovery session. One at a time.
  TaskId send_text(text::KeyValueList pairs);
  // Logout (RFC 7143 §11.14): close_session or close_connection; sent after everything already
  // queued. No request is accepted afterwards. Answered by LogoutCompleted, then
  // CloseConnection.
  void logout(pdu::LogoutReason reason = pdu::LogoutReason::close_session);

  // ---- inputs from the driver -----------------------------------------------------------
  void on_pdu(runtime::TimePoint now, pdu::Pdu pdu);
  void on_frame_error(runtime::TimePoint now, const pdu::FrameError& error);
  void on_deadline(runtime::TimePoint now);
  // The transport is gone: every request still open completes with connection_lost.
  void on_transport_closed(runtime::TimePoint now);

  // ---- outputs ------------------------------------------------------------------------
  std::vector<Output> take_outputs();
  // The same into `into` (cleared first), whose capacity a caller can keep across calls.
  void take_outputs(std::vector<Output>& into);
  bool has_outputs() const;
  std::optional<runtime::TimePoint> next_deadline() const;

  // ---- state, for the driver and for tests ----------------------------------------------
  bool closed() const;
  std::size_t outstanding_tasks() const;  // SCSI commands sent and not completed
  // Data-In bytes the target still owes: of the commands sent, the expected data transfer
  // lengths of reads less the data already received. An estimate of what is on its way
  // (a target may end a read with a status instead): receive coalescing's hint.
  std::uint64_t data_in_bytes_owed() const;
  std::size_t queued_requests() const;    // waiting for the CmdSN window or a task slot
  std::uint32_t cmd_sn() const;           // the next CmdSN
  std::uint32_t exp_stat_sn() const;
  std::uint32_t exp_cmd_sn() const;
  std::uint32_t max_cmd_sn() const;
  const SessionSetup& setup() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::initiator::session
