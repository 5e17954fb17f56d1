// The public face of the initiator's SessionEngine and its core: the output queue (ExpStatSN
// stamped as PDUs are handed out), violation reports, PDU dispatch, timers and closing.
#include "initiator-impl/session/session_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "core/pdu/describe.hpp"
#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

std::string_view to_string(FailureReason reason) {
  switch (reason) {
    case FailureReason::aborted:
      return "aborted";
    case FailureReason::connection_lost:
      return "connection lost";
    case FailureReason::rejected:
      return "rejected";
    case FailureReason::protocol_error:
      return "target protocol error";
    case FailureReason::invalid_request:
      return "invalid request";
    case FailureReason::queue_full:
      return "queue full";
    case FailureReason::session_closing:
      return "session closing";
    case FailureReason::busy:
      return "busy";
  }
  return "unknown";
}

SessionEngine::Impl::Impl(SessionSetup setup, runtime::TimePoint now)
    : setup_(std::move(setup)),
      now_(now),
      last_received_(now),
      cmd_sn_(setup_.cmd_sn),
      exp_stat_sn_(setup_.exp_stat_sn),
      exp_cmd_sn_(setup_.exp_cmd_sn),
      max_cmd_sn_(setup_.max_cmd_sn) {}

std::uint32_t SessionEngine::Impl::target_mrdsl() const {
  // RFC 7143 §13.12: at least 512; guard against a zero from a careless setup.
  return std::max<std::uint32_t>(setup_.connection.target_max_recv_data_segment_length, 512);
}

bool SessionEngine::Impl::discovery() const {
  return setup_.session.session_type == negotiation::SessionType::discovery;
}

// The outputs change hands by swapping lists, so the two lists' capacities are reused and no
// output is moved.
void SessionEngine::Impl::take_outputs(std::vector<Output>& taken) {
  for (Output& output : outputs_) {
    if (auto* send = std::get_if<SendPdu>(&output)) {
      // RFC 7143 §4.2.2.2: ExpStatSN acknowledges every status received before the PDU leaves.
      std::visit(
          [this](auto& header) {
            if constexpr (requires { header.exp_stat_sn; }) header.exp_stat_sn = exp_stat_sn_;
          },
          send->pdu.header);
    }
  }
  taken.swap(outputs_);
  outputs_.clear();
  // Everything answered so far is on its way to the target now (see r2ts_unwritten). Only
  // when some R2T was answered: this runs at least once per PDU received.
  if (r2ts_unwritten_any_) {
    for (auto& [itt, task] : tasks_) task.r2ts_unwritten = 0;
    r2ts_unwritten_any_ = false;
  }
}

void SessionEngine::Impl::queue_pdu(pdu::Pdu&& pdu) {
  // Not emplace_back(std::in_place_type<SendPdu>, ...): clang 14 lacks C++20's parenthesised
  // aggregate initialisation.
  outputs_.emplace_back(SendPdu{std::move(pdu)});
}

void SessionEngine::Impl::report(const ViolationKind& kind, std::string detail) {
  std::uint32_t& count = report_counts_[std::string(kind.id)];
  ++count;
  if (count <= kMaxReportsPerViolationId) {
    queue_output(ReportViolation{Violation{kind, std::move(detail)}});
  }
  if (kind.severity == Severity::fatal) close(false, std::string(kind.id));
}

void SessionEngine::Impl::close(bool graceful, std::string reason) {
  if (closed_) return;
  closed_ = true;
  fail_everything(Failure{FailureReason::connection_lost, reason});
  queue_output(CloseConnection{graceful, std::move(reason)});
}

void SessionEngine::Impl::fail_everything(const Failure& failure) {
  queue_.clear();
  std::vector<std::uint32_t> itts;
  for (const auto& [itt, task] : tasks_) itts.push_back(itt);
  std::sort(itts.begin(), itts.end());
  for (std::uint32_t itt : itts) fail_task(itt, failure);
  for (const auto& [itt, tmf] : tmfs_) {
    TaskManagementCompleted done;
    done.task = tmf.id;
    done.function = tmf.function;
    done.failure = failure;
    queue_output(std::move(done));
  }
  tmfs_.clear();
  if (text_) finish_text(failure, {});
  if (logout_) {
    queue_output(LogoutCompleted{failure});
    logout_.reset();
  }
  ping_.reset();
}

bool SessionEngine::Impl::itt_in_use(std::uint32_t itt) const {
  return tasks_.contains(itt) || tmfs_.contains(itt) || (text_ && text_->itt == itt) ||
         (logout_ && logout_->itt == itt) || (ping_ && ping_->itt == itt);
}

std::uint32_t SessionEngine::Impl::new_itt() {
  // RFC 7143 §11.2.1.7: unique among the session's tasks, never 0xffffffff. The loop ends: at
  // most a few thousand ITTs are in use (the named limits).
  while (next_itt_ == pdu::kReservedTag || itt_in_use(next_itt_)) ++next_itt_;
  return next_itt_++;
}

void SessionEngine::Impl::on_pdu(pdu::Pdu& pdu) {
  if (closed_) return;
  check_numbering(pdu);
  if (closed_) return;
  dispatch(pdu);
  if (!closed_) release_queue();
}

void SessionEngine::Impl::dispatch(pdu::Pdu& pdu) {
  const pdu::Opcode opcode = pdu::opcode(pdu);
  switch (opcode) {
    case pdu::Opcode::scsi_response:
      return on_scsi_response(pdu);
    case pdu::Opcode::scsi_data_in:
      return on_data_in(pdu);
    case pdu::Opcode::r2t:
      return on_r2t(pdu);
    case pdu::Opcode::nop_in:
      return on_nop_in(pdu);
    case pdu::Opcode::task_mgmt_response:
      return on_tmf_response(pdu);
    case pdu::Opcode::text_response:
      return on_text_response(pdu);
    case pdu::Opcode::logout_response:
      return on_logout_response(pdu);
    case pdu::Opcode::async_message:
      return on_async(pdu);
    case pdu::Opcode::reject:
      return on_reject(pdu);
    case pdu::Opcode::login_response:
    case pdu::Opcode::nop_out:
    case pdu::Opcode::scsi_command:
    case pdu::Opcode::task_mgmt_request:
    case pdu::Opcode::login_request:
    case pdu::Opcode::text_request:
    case pdu::Opcode::scsi_data_out:
    case pdu::Opcode::logout_request:
    case pdu::Opcode::snack_request:
      return report(v::kUnexpectedOpcode, fmt::format("{} from the target in full feature phase",
                                                      pdu::to_string(opcode)));
  }
}

void SessionEngine::Impl::on_frame_error(const pdu::FrameError& error) {
  if (closed_) return;
  queue_output(ReportViolation{error.violation});
  // RFC 7143 §7.8, §6.1 (ERL 0): a PDU lost to a digest or framing error leaves a hole in the
  // StatSN or DataSN sequence that only session recovery can repair, so the connection ends.
  close(false, std::string(error.violation.id()));
}

void SessionEngine::Impl::on_deadline(runtime::TimePoint now) {
  now_ = now;
  if (closed_) return;
  if (ping_ && ping_->deadline && now >= *ping_->deadline) {
    return report(
        v::kNopTimeout,
        fmt::format(
            "NOP-Out ping ITT 0x{:08x} unanswered after {} ms", ping_->itt,
            std::chrono::duration_cast<std::chrono::milliseconds>(setup_.nop.timeout).count()));
  }
  if (logout_ && logout_->deadline && now >= *logout_->deadline) {
    return report(v::kLogoutTimeout,
                  fmt::format("no Logout Response to ITT 0x{:08x}", logout_->itt));
  }
  if (const auto due = ping_due(); due && now >= *due) send_ping(now);
}

std::optional<runtime::TimePoint> SessionEngine::Impl::next_deadline() const {
  if (closed_) return std::nullopt;
  std::optional<runtime::TimePoint> next;
  const auto consider = [&next](std::optional<runtime::TimePoint> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  if (ping_) consider(ping_->deadline);
  if (logout_) consider(logout_->deadline);
  consider(ping_due());
  return next;
}

// ---- SessionEngine --------------------------------------------------------------------------

SessionEngine::SessionEngine(SessionSetup setup, runtime::TimePoint now)
    : impl_(std::make_unique<Impl>(std::move(setup), now)) {}
SessionEngine::~SessionEngine() = default;

TaskId SessionEngine::submit(ScsiRequest request) { return impl_->submit(std::move(request)); }
TaskId SessionEngine::abort_task(TaskId task) {
  return impl_->task_management(pdu::TmfFunction::abort_task, pdu::Lun{}, task);
}
TaskId SessionEngine::abort_task_set(pdu::Lun lun) {
  return impl_->task_management(pdu::TmfFunction::abort_task_set, lun, std::nullopt);
}
TaskId SessionEngine::clear_task_set(pdu::Lun lun) {
  return impl_->task_management(pdu::TmfFunction::clear_task_set, lun, std::nullopt);
}
TaskId SessionEngine::logical_unit_reset(pdu::Lun lun) {
  return impl_->task_management(pdu::TmfFunction::logical_unit_reset, lun, std::nullopt);
}
TaskId SessionEngine::target_warm_reset() {
  return impl_->task_management(pdu::TmfFunction::target_warm_reset, pdu::Lun{}, std::nullopt);
}
TaskId SessionEngine::target_cold_reset() {
  return impl_->task_management(pdu::TmfFunction::target_cold_reset, pdu::Lun{}, std::nullopt);
}
TaskId SessionEngine::send_text(text::KeyValueList pairs) {
  return impl_->send_text(std::move(pairs));
}
void SessionEngine::logout(pdu::LogoutReason reason) { impl_->logout(reason); }

void SessionEngine::on_pdu(runtime::TimePoint now, pdu::Pdu pdu) {
  impl_->now_ = now;
  impl_->last_received_ = now;
  impl_->on_pdu(pdu);
}
void SessionEngine::on_frame_error(runtime::TimePoint now, const pdu::FrameError& error) {
  impl_->now_ = now;
  impl_->on_frame_error(error);
}
void SessionEngine::on_deadline(runtime::TimePoint now) { impl_->on_deadline(now); }
void SessionEngine::on_transport_closed(runtime::TimePoint now) {
  impl_->now_ = now;
  if (impl_->closed_) return;
  impl_->closed_ = true;
  impl_->fail_everything(Failure{FailureReason::connection_lost, "the transport closed"});
}

std::vector<Output> SessionEngine::take_outputs() {
  std::vector<Output> taken;
  impl_->take_outputs(taken);
  return taken;
}
void SessionEngine::take_outputs(std::vector<Output>& into) { impl_->take_outputs(into); }
bool SessionEngine::has_outputs() const { return !impl_->outputs_.empty(); }
std::optional<runtime::TimePoint> SessionEngine::next_deadline() const {
  return impl_->next_deadline();
}
bool SessionEngine::closed() const { return impl_->closed_; }
std::size_t SessionEngine::outstanding_tasks() const { return impl_->sent_tasks(); }
std::uint64_t SessionEngine::data_in_bytes_owed() const { return impl_->data_in_owed(); }
std::size_t SessionEngine::queued_requests() const { return impl_->queue_.size(); }
std::uint32_t SessionEngine::cmd_sn() const { return impl_->cmd_sn_; }
std::uint32_t SessionEngine::exp_stat_sn() const { return impl_->exp_stat_sn_; }
std::uint32_t SessionEngine::exp_cmd_sn() const { return impl_->exp_cmd_sn_; }
std::uint32_t SessionEngine::max_cmd_sn() const { return impl_->max_cmd_sn_; }
const SessionSetup& SessionEngine::setup() const { return impl_->setup_; }

}  // namespace iscsi::initiator::session
