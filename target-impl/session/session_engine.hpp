#pragma once
// The full feature phase of one target session on one connection (RFC 7143 §4.2, §11, ERL 0;
// MaxConnections is 1, so a session has one connection), sans-IO: decoded PDUs in, PDUs out,
// time passed in. It sequences commands by CmdSN, collects immediate, unsolicited and solicited
// (R2T) Data-Out, hands whole commands to a scsi::Port, sends Data-In and SCSI Responses,
// answers and sends NOPs, runs task management, Text (SendTargets), Logout, Reject and Async
// Messages, and reports every initiator violation with a stable id.
//
// The server's connection driver owns the Framer and the Stream: it feeds decoded PDUs and
// framing errors, encodes what take_outputs() returns, and calls on_deadline() at
// next_deadline(). SCSI completions arrive later from the Port: the engine then queues outputs
// and calls the notify callback so that the driver drains them.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/common/violation.hpp"
#include "core/negotiation/policy.hpp"
#include "core/pdu/framer.hpp"
#include "core/pdu/pdu.hpp"
#include "core/runtime/clock.hpp"
#include "core/text/key_value.hpp"
#include "target-impl/login/login_engine.hpp"
#include "target-impl/scsi/port.hpp"
#include "target-impl/session/session_limits.hpp"
#include "target-impl/session/session_quirks.hpp"
#include "target-impl/session/shared_data.hpp"

namespace iscsi::target::session {

struct NopSettings {
  // Send a NOP-In ping after this long without traffic from the initiator; zero: never.
  runtime::Duration interval{0};
  // Close the connection when a ping stays unanswered this long (RFC 7143 §11.19).
  runtime::Duration timeout{std::chrono::seconds(15)};
};

struct SessionSetup {
  login::LoginSucceeded login;
  // The target's SCSI device; nullptr for a Discovery session (only Text, NOP and Logout).
  // The engine announces its nexus: Port::nexus_added when it is built, nexus_removed when the
  // session ends (logout, close, transport loss, destruction), exactly once each.
  scsi::Port* port = nullptr;
  scsi::NexusId nexus = 0;
  // Answers SendTargets=<value> (login::answer_send_targets bound to the live configuration).
  std::function<text::KeyValueList(std::string_view value)> send_targets;
  NopSettings nop;
  // Our answers in full feature phase Text negotiations (only
  // keys allowed in FFP are renegotiated: MaxRecvDataSegmentLength, aliases, SendTargets).
  negotiation::LocalPolicy text_policy = negotiation::target_policy();
  // Commands the session holds at once (SCSI tasks, commands queued behind a CmdSN gap, read
  // results not yet handed out): MaxCmdSN = ExpCmdSN + free slots - 1 (RFC 7143 §4.2.2.1).
  std::uint32_t command_window = kDefaultCommandWindow;
  // The MaxCmdSN of the Login Final-Response, when the driver knows it: MaxCmdSN never moves
  // backwards (C120), so the engine starts from it. Unknown: ExpCmdSN + command_window - 1.
  std::optional<std::uint32_t> login_max_cmd_sn;
  // Where the answers follow tgt rather than the RFC (the `tgt` profile).
  SessionQuirks quirks;
};

struct SendPdu {
  pdu::Pdu pdu;
  // A Data-In's data segment, left in the read buffer (pdu.data is then empty): the driver
  // sends it without copying. with_data(pdu, data) gives the whole PDU.
  SharedData data;
};
struct ReportViolation {
  Violation violation;
};
struct ReportState {
  std::string machine;  // "session", "task"
  std::string from;
  std::string to;
};
// A task management function that reaches beyond this session (LU reset, target resets, abort
// task set with TaskReporting...): the server aborts the matching tasks of other sessions.
struct TaskManagementApplied {
  scsi::TaskManagement function;
  pdu::Lun lun;
};
// End the connection: after the queued PDUs are written (graceful, e.g. after a Logout
// Response) or at once with a reset (fatal protocol error, NOP timeout).
struct CloseConnection {
  bool graceful = true;
  std::string reason;
};
using Output =
    std::variant<SendPdu, ReportViolation, ReportState, TaskManagementApplied, CloseConnection>;

class SessionEngine {
 public:
  SessionEngine(SessionSetup setup, runtime::TimePoint now);
  ~SessionEngine();
  SessionEngine(const SessionEngine&) = delete;
  SessionEngine& operator=(const SessionEngine&) = delete;

  void on_pdu(runtime::TimePoint now, pdu::Pdu pdu);
  void on_frame_error(runtime::TimePoint now, const pdu::FrameError& error);
  void on_deadline(runtime::TimePoint now);
  // The transport is gone: every task is aborted, late SCSI completions are dropped.
  void on_transport_closed(runtime::TimePoint now);

  // Server-initiated events.
  // Async Message "target requests Logout" (AsyncEvent 1) with a Logout deadline.
  void request_logout(runtime::TimePoint now, std::uint16_t time_to_logout_s);
  // Another session ran LU reset / target reset: abort our tasks on `lun` (or all of them).
  void abort_tasks(std::optional<pdu::Lun> lun);

  // Outputs in order. Data-In payload is handed out at most kMaxDataInBytesPerTake per call
  // (at least one PDU), so a large read never sits in memory twice: call again while
  // has_outputs() (e.g. once the stream has written what the previous call returned).
  std::vector<Output> take_outputs();
  bool has_outputs() const;
  std::optional<runtime::TimePoint> next_deadline() const;
  // Called (from a SCSI completion) when outputs were queued outside an on_* call.
  void set_notify(std::function<void()> notify);

  // Negotiated limits the driver applies to its Framer and encoder.
  const login::LoginSucceeded& parameters() const;
  bool closed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iscsi::target::session
