// Numbering (RFC 7143 §4.2.2): StatSN acknowledgement, the ExpCmdSN/MaxCmdSN window carried by
// every target PDU, and the queue of numbered requests that wait for that window.
#include <fmt/format.h>

#include "core/common/serial.hpp"
#include "core/pdu/describe.hpp"
#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

namespace {

// Whether a target PDU consumes a StatSN (RFC 7143 §4.2.2.2): responses, Reject, Async, a
// Data-In with S=1 and a NOP-In answering a NOP-Out. Data-In without status carries no valid
// StatSN at all (§11.7.4); R2T and target-initiated NOP-In carry the next one.
enum class StatSnUse : std::uint8_t { none, next, status };

StatSnUse stat_sn_use(const pdu::Header& header) {
  if (const auto* data_in = std::get_if<pdu::ScsiDataIn>(&header)) {
    return data_in->status_present ? StatSnUse::status : StatSnUse::none;
  }
  if (const auto* nop_in = std::get_if<pdu::NopIn>(&header)) {
    return nop_in->itt == pdu::kReservedTag ? StatSnUse::next : StatSnUse::status;
  }
  if (std::holds_alternative<pdu::R2t>(header)) return StatSnUse::next;
  if (std::holds_alternative<pdu::ScsiResponse>(header) ||
      std::holds_alternative<pdu::TaskMgmtResponse>(header) ||
      std::holds_alternative<pdu::TextResponse>(header) ||
      std::holds_alternative<pdu::LogoutResponse>(header) ||
      std::holds_alternative<pdu::Reject>(header) ||
      std::holds_alternative<pdu::AsyncMessage>(header)) {
    return StatSnUse::status;
  }
  return StatSnUse::none;
}

}  // namespace

void SessionEngine::Impl::check_numbering(const pdu::Pdu& pdu) {
  const PduName what{pdu::to_string(pdu::opcode(pdu)), pdu::itt(pdu), {}};
  const auto exp_cmd_sn = pdu::exp_cmd_sn(pdu.header);
  const auto max_cmd_sn = pdu::max_cmd_sn(pdu.header);
  if (exp_cmd_sn && max_cmd_sn) update_window(*exp_cmd_sn, *max_cmd_sn, what);
  const StatSnUse use = stat_sn_use(pdu.header);
  const auto stat_sn = pdu::stat_sn(pdu.header);
  if (use != StatSnUse::none && stat_sn) {
    check_stat_sn(*stat_sn, use == StatSnUse::status, what);
  }
}

void SessionEngine::Impl::update_window(std::uint32_t exp_cmd_sn, std::uint32_t max_cmd_sn,
                                        const PduName& what) {
  // RFC 7143 §4.2.2.1: a pair with MaxCmdSN < ExpCmdSN - 1 is ignored.
  if (serial_lt(max_cmd_sn, exp_cmd_sn - 1) || serial_undefined(max_cmd_sn, exp_cmd_sn - 1)) {
    return report(v::kWindowInvalid,
                  fmt::format("{}: MaxCmdSN {} < ExpCmdSN {} - 1", what, max_cmd_sn, exp_cmd_sn));
  }
  if (serial_lt(exp_cmd_sn, exp_cmd_sn_) || serial_undefined(exp_cmd_sn, exp_cmd_sn_)) {
    report(v::kExpCmdSnBackwards,
           fmt::format("{}: ExpCmdSN {} after {}", what, exp_cmd_sn, exp_cmd_sn_));
  } else if (serial_gt(exp_cmd_sn, cmd_sn_) || serial_undefined(exp_cmd_sn, cmd_sn_)) {
    report(v::kExpCmdSnAhead,
           fmt::format("{}: ExpCmdSN {} but the next CmdSN is {}", what, exp_cmd_sn, cmd_sn_));
  } else {
    exp_cmd_sn_ = exp_cmd_sn;
  }
  if (serial_lt(max_cmd_sn, max_cmd_sn_) || serial_undefined(max_cmd_sn, max_cmd_sn_)) {
    report(v::kMaxCmdSnBackwards,
           fmt::format("{}: MaxCmdSN {} after {}", what, max_cmd_sn, max_cmd_sn_));
  } else {
    max_cmd_sn_ = max_cmd_sn;
  }
}

void SessionEngine::Impl::check_stat_sn(std::uint32_t stat_sn, bool carries_status,
                                        const PduName& what) {
  if (stat_sn == exp_stat_sn_) {
    if (carries_status) exp_stat_sn_ = serial_add(exp_stat_sn_, 1);
    return;
  }
  if (!carries_status) {
    return report(v::kStatSnNotNext, fmt::format("{}: StatSN {} but the next StatSN is {}", what,
                                                 stat_sn, exp_stat_sn_));
  }
  report(v::kStatSnMismatch,
         fmt::format("{}: StatSN {}, expected {}", what, stat_sn, exp_stat_sn_));
  // A StatSN ahead means status was lost; acknowledging from there keeps the target's status
  // buffer from growing (libiscsi and open-iscsi do the same). An old one changes nothing.
  if (serial_gt(stat_sn, exp_stat_sn_)) exp_stat_sn_ = serial_add(stat_sn, 1);
}

bool SessionEngine::Impl::window_open() const {
  return serial_le(cmd_sn_, max_cmd_sn_) && !serial_undefined(cmd_sn_, max_cmd_sn_);
}

void SessionEngine::Impl::enqueue(QueuedRequest&& request) {
  // Nothing waits and this one may go: it goes now, without a trip through the queue (the
  // usual case, once per command).
  if (queue_.empty() && may_send(request)) return send_numbered(std::move(request));
  queue_.push_back(std::move(request));
  release_queue();
}

// RFC 7143 §4.2.2.1: non-immediate requests only inside [ExpCmdSN, MaxCmdSN]; SCSI commands
// also within SessionLimits::max_outstanding_tasks.
bool SessionEngine::Impl::may_send(const QueuedRequest& request) const {
  if (closed_ || !window_open()) return false;
  return request.kind != QueuedRequest::Kind::scsi ||
         sent_count_ < setup_.limits.max_outstanding_tasks;
}

void SessionEngine::Impl::release_queue() {
  // In CmdSN order: the first request that may not go holds back those behind it.
  while (!queue_.empty() && may_send(queue_.front())) {
    QueuedRequest request = std::move(queue_.front());
    queue_.pop_front();
    send_numbered(std::move(request));
  }
}

void SessionEngine::Impl::send_numbered(QueuedRequest&& request) {
  const std::uint32_t cmd_sn = cmd_sn_;
  cmd_sn_ = serial_add(cmd_sn_, 1);
  std::visit(
      [cmd_sn](auto& header) {
        if constexpr (requires { header.cmd_sn; }) header.cmd_sn = cmd_sn;
      },
      request.pdu.header);
  queue_pdu(std::move(request.pdu));
  switch (request.kind) {
    case QueuedRequest::Kind::scsi: {
      const auto found = tasks_.find(request.itt);
      if (found == tasks_.end()) return;
      found->second.cmd_sn = cmd_sn;
      found->second.sent = true;
      ++sent_count_;
      owe_data_in(found->second);
      return on_command_sent(found->second);
    }
    case QueuedRequest::Kind::text:
      return;
    case QueuedRequest::Kind::logout:
      if (logout_) {
        logout_->sent = true;
        if (setup_.limits.logout_timeout.count() > 0) {
          logout_->deadline = now_ + setup_.limits.logout_timeout;
        }
      }
      return;
  }
}

}  // namespace iscsi::initiator::session
