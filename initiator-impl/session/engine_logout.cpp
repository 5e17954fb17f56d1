// Logout (RFC 7143 §11.14, §11.15), Asynchronous Messages (§11.9) and Reject (§11.17).
#include <fmt/format.h>

#include "core/pdu/describe.hpp"
#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

namespace {

constexpr std::uint16_t kMaxTime2 = 3600;  // RFC 7143 §11.15.2, §11.15.3

bool defined_event(pdu::AsyncEvent event) {
  switch (event) {
    case pdu::AsyncEvent::scsi_async_event:
    case pdu::AsyncEvent::logout_request:
    case pdu::AsyncEvent::connection_drop:
    case pdu::AsyncEvent::session_drop:
    case pdu::AsyncEvent::parameter_negotiation:
    case pdu::AsyncEvent::task_termination:
    case pdu::AsyncEvent::vendor_specific:
      return true;
  }
  return false;
}

bool defined_logout_response(pdu::LogoutResponseCode code) {
  switch (code) {
    case pdu::LogoutResponseCode::closed_successfully:
    case pdu::LogoutResponseCode::cid_not_found:
    case pdu::LogoutResponseCode::connection_recovery_not_supported:
    case pdu::LogoutResponseCode::cleanup_failed:
      return true;
  }
  return false;
}

}  // namespace

void SessionEngine::Impl::logout(pdu::LogoutReason reason) {
  if (closed_) {
    queue_output(LogoutCompleted{Failure{FailureReason::session_closing, "already closed"}});
    return;
  }
  if (logout_) return;  // one Logout at a time; its completion answers both calls
  logout_ = LogoutState{new_itt(), false, std::nullopt};
  pdu::LogoutRequest header;
  header.reason_code = reason;
  header.itt = logout_->itt;
  // RFC 7143 §11.14.1: the CID is reserved when the whole session closes.
  header.cid = reason == pdu::LogoutReason::close_session ? 0 : setup_.cid;
  // Non-immediate: commands submitted earlier are sent (and answered) first (C166).
  enqueue(QueuedRequest{QueuedRequest::Kind::logout, logout_->itt, pdu::Pdu{header, {}, {}}});
}

void SessionEngine::Impl::on_logout_response(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::LogoutResponse>(pdu.header);
  if (!logout_ || !logout_->sent || logout_->itt != header.itt) {
    return report(v::kUnknownItt, fmt::format("Logout Response for ITT 0x{:08x}, no Logout in "
                                              "progress",
                                              header.itt));
  }
  const std::string what = fmt::format("Logout Response ITT 0x{:08x}", header.itt);
  if (!defined_logout_response(header.response)) {
    report(v::kLogoutResponse,
           fmt::format("{}: Response {}", what, static_cast<unsigned>(header.response)));
  }
  if (header.time2wait > kMaxTime2 || header.time2retain > kMaxTime2) {
    report(v::kLogoutResponse, fmt::format("{}: Time2Wait {} / Time2Retain {} above {}", what,
                                           header.time2wait, header.time2retain, kMaxTime2));
  }
  logout_.reset();
  queue_output(
      LogoutCompleted{std::nullopt, header.response, header.time2wait, header.time2retain});
  // RFC 7143 §11.15: after "closed successfully" the target closes the connection; anything
  // still open cannot complete any more.
  if (header.response == pdu::LogoutResponseCode::closed_successfully) close(true, "logout");
}

void SessionEngine::Impl::on_async(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::AsyncMessage>(pdu.header);
  if (header.itt != pdu::kReservedTag) {
    report(v::kAsyncInvalid, fmt::format("Async Message with ITT 0x{:08x}", header.itt));
  }
  if (!defined_event(header.async_event)) {
    report(v::kAsyncInvalid, fmt::format("Async Message with reserved AsyncEvent {}",
                                         static_cast<unsigned>(header.async_event)));
  }
  queue_output(AsyncEventReceived{header, pdu.data});
  // RFC 7143 §11.9.1: event 1 asks for a Logout within Parameter3 seconds; we log out at once.
  if (header.async_event == pdu::AsyncEvent::logout_request && !logout_) {
    logout(pdu::LogoutReason::close_session);
  }
}

void SessionEngine::Impl::on_reject(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::Reject>(pdu.header);
  RejectReceived event;
  event.reason = header.reason;
  if (header.reason == pdu::RejectReason::deprecated_negotiation_reset) {
    report(v::kRejectReason, "Reject with reason 0x0b, deprecated by RFC 7143");
  }
  if (pdu.data.size() < pdu::kBhsLength) {
    report(v::kRejectBhs, fmt::format("Reject {} with {} data bytes instead of the 48-byte BHS",
                                      pdu::to_string(header.reason), pdu.data.size()));
    queue_output(std::move(event));
    return;
  }
  event.rejected_bhs.assign(pdu.data.begin(), pdu.data.begin() + pdu::kBhsLength);
  const auto classified = pdu::opcode_from_byte(event.rejected_bhs[0]);
  const std::uint32_t itt = load_be32(event.rejected_bhs.data() + 16);
  if (classified.kind == pdu::OpcodeKind::standard) {
    fail_rejected(itt, classified.opcode(), event);
  }
  queue_output(std::move(event));
}

void SessionEngine::Impl::fail_rejected(std::uint32_t itt, pdu::Opcode opcode,
                                        RejectReceived& event) {
  const Failure failure{FailureReason::rejected,
                        fmt::format("the target rejected the {} (reason {})",
                                    pdu::to_string(opcode), pdu::to_string(event.reason))};
  switch (opcode) {
    case pdu::Opcode::scsi_command:
      if (const auto task = tasks_.find(itt); task != tasks_.end() && task->second.sent) {
        event.task = task->second.id;
        fail_task(itt, failure);
      }
      return;
    case pdu::Opcode::scsi_data_out:
      // RFC 7143 §7.3 (C176): the task still gets its SCSI Response; its data is suspect.
      if (const auto task = tasks_.find(itt); task != tasks_.end()) {
        event.task = task->second.id;
        if (!task->second.failure) task->second.failure = failure;
      }
      return;
    case pdu::Opcode::text_request:
      if (text_ && text_->itt == itt) {
        event.task = text_->id;
        finish_text(failure, {});
      }
      return;
    case pdu::Opcode::task_mgmt_request:
      if (const auto tmf = tmfs_.find(itt); tmf != tmfs_.end()) {
        event.task = tmf->second.id;
        TaskManagementCompleted done;
        done.task = tmf->second.id;
        done.function = tmf->second.function;
        done.failure = failure;
        tmfs_.erase(tmf);
        queue_output(std::move(done));
      }
      return;
    case pdu::Opcode::logout_request:
      if (logout_ && logout_->itt == itt) {
        logout_.reset();
        queue_output(LogoutCompleted{failure});
      }
      return;
    case pdu::Opcode::nop_out:
      if (ping_ && ping_->itt == itt) ping_.reset();
      return;
    case pdu::Opcode::login_request:
    case pdu::Opcode::snack_request:
    case pdu::Opcode::nop_in:
    case pdu::Opcode::scsi_response:
    case pdu::Opcode::task_mgmt_response:
    case pdu::Opcode::login_response:
    case pdu::Opcode::text_response:
    case pdu::Opcode::scsi_data_in:
    case pdu::Opcode::logout_response:
    case pdu::Opcode::r2t:
    case pdu::Opcode::async_message:
    case pdu::Opcode::reject:
      return;
  }
}

}  // namespace iscsi::initiator::session
