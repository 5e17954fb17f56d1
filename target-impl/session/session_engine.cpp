// The public face of SessionEngine and the engine's core: the output queue with StatSN,
// ExpCmdSN and MaxCmdSN stamped as PDUs are handed out, timers (NOP-In pings, the Logout
// deadline), violation reports and closing.
#include "target-impl/session/session_engine.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>

#include "core/common/serial.hpp"
#include "core/pdu/codec.hpp"
#include "target-impl/session/engine_impl.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

namespace {

std::string port_name_isid(const login::LoginSucceeded& login) {
  return fmt::format("{},i,0x{:012x}", login.initiator_name, login.isid.value());
}

std::string port_name_target(const login::LoginSucceeded& login) {
  return fmt::format("{},t,0x{:04x}", login.target_name,
                     login.session.target_portal_group_tag.value_or(1));
}

}  // namespace

SessionEngine::Impl::Impl(SessionSetup setup, runtime::TimePoint now)
    : setup_(std::move(setup)),
      lifeline_(std::make_shared<Impl*>(this)),
      window_(setup_.login.exp_cmd_sn,
              std::clamp<std::uint32_t>(setup_.command_window, 1, kMaxCommandWindow)),
      command_window_(std::clamp<std::uint32_t>(setup_.command_window, 1, kMaxCommandWindow)),
      max_cmd_sn_(setup_.login_max_cmd_sn.value_or(setup_.login.exp_cmd_sn + command_window_ -
                                                   1)),
      stat_sn_(setup_.login.stat_sn),
      acked_stat_sn_(setup_.login.stat_sn),
      now_(now),
      last_activity_(now) {
  text_.negotiation.session = setup_.login.session;
  text_.negotiation.connection = setup_.login.connection;
  if (setup_.port != nullptr) {
    // SPC-4 §6.9: the new I_T nexus sees a power-on unit attention first (scsi::Port).
    setup_.port->nexus_added(scsi::Nexus{setup_.nexus, port_name_isid(setup_.login),
                                         port_name_target(setup_.login), 1});
    nexus_active_ = true;
  }
  report_state("login", "full_feature");
}

SessionEngine::Impl::~Impl() {
  *lifeline_ = nullptr;
  if (nexus_active_ && setup_.port != nullptr) setup_.port->nexus_removed(setup_.nexus);
}

std::uint32_t SessionEngine::Impl::initiator_mrdsl() const {
  return std::max<std::uint32_t>(setup_.login.connection.initiator_max_recv_data_segment_length,
                                 1);
}

// ---- Outputs ---------------------------------------------------------------------------------

void SessionEngine::Impl::queue_pdu(pdu::Pdu pdu) {
  queue_.emplace_back(Output{SendPdu{std::move(pdu), {}}});
}

void SessionEngine::Impl::queue_output(Output output) { queue_.emplace_back(std::move(output)); }

std::vector<Output> SessionEngine::Impl::take_outputs() {
  std::vector<Output> out;
  std::size_t data_bytes = 0;
  while (!queue_.empty()) {
    if (auto* output = std::get_if<Output>(&queue_.front())) {
      if (auto* send = std::get_if<SendPdu>(output)) stamp(send->pdu);
      out.push_back(std::move(*output));
      queue_.pop_front();
      continue;
    }
    auto& stream = std::get<DataInStream>(queue_.front());
    // kMaxDataInBytesPerTake bounds what one call hands out; at least one PDU goes each time.
    while (!stream.done() && (data_bytes < kMaxDataInBytesPerTake || out.empty())) {
      DataInPdu piece = stream.next();
      data_bytes += piece.data.length;
      // The read's slot frees before its status is stamped, so that PDU already carries the
      // reopened window.
      if (stream.done()) --queued_streams_;
      stamp(piece.pdu);
      out.push_back(SendPdu{std::move(piece.pdu), std::move(piece.data)});
    }
    if (!stream.done()) break;
    queue_.pop_front();
  }
  return out;
}

void SessionEngine::Impl::refresh_max_cmd_sn() {
  // RFC 7143 §4.2.2.1: the window never lets more commands in than the session holds slots
  // for, and MaxCmdSN never moves backwards (C120).
  // A queued SCSI Command has its task already: count it once.
  const std::size_t used =
      tasks_.size() + window_.queued() - std::min(window_.queued(), undelivered_tasks()) +
      queued_streams_;
  const std::uint32_t free =
      used >= command_window_ ? 0 : command_window_ - static_cast<std::uint32_t>(used);
  const std::uint32_t candidate = window_.exp_cmd_sn() + free - 1;
  if (serial_gt(candidate, max_cmd_sn_)) max_cmd_sn_ = candidate;
}

void SessionEngine::Impl::stamp(pdu::Pdu& pdu) {
  refresh_max_cmd_sn();
  const std::uint32_t exp = window_.exp_cmd_sn();
  // RFC 7143 §4.2.2.2: StatSN advances for every PDU carrying status; R2T, Data-In without
  // status and target pings carry the next StatSN without consuming it.
  const auto fill = [&](auto& header, bool carries_status) {
    header.exp_cmd_sn = exp;
    header.max_cmd_sn = max_cmd_sn_;
    header.stat_sn = carries_status ? stat_sn_++ : stat_sn_;
  };
  std::visit(
      [&](auto& header) {
        using H = std::decay_t<decltype(header)>;
        if constexpr (std::is_same_v<H, pdu::NopIn>) {
          fill(header, header.itt != pdu::kReservedTag);
        } else if constexpr (std::is_same_v<H, pdu::R2t>) {
          fill(header, false);
        } else if constexpr (std::is_same_v<H, pdu::ScsiDataIn>) {
          fill(header, header.status_present);
          if (!header.status_present) header.stat_sn = 0;
        } else if constexpr (std::is_same_v<H, pdu::ScsiResponse> ||
                             std::is_same_v<H, pdu::TaskMgmtResponse> ||
                             std::is_same_v<H, pdu::TextResponse> ||
                             std::is_same_v<H, pdu::LogoutResponse> ||
                             std::is_same_v<H, pdu::AsyncMessage> ||
                             std::is_same_v<H, pdu::Reject>) {
          fill(header, true);
        }
      },
      pdu.header);
}

void SessionEngine::Impl::reject(pdu::RejectReason reason, Bytes bhs) {
  // RFC 7143 §11.17: the data segment is the complete BHS of the rejected PDU.
  bhs.resize(pdu::kBhsLength, 0);
  pdu::Reject header;
  header.reason = reason;
  queue_pdu(pdu::Pdu{header, std::move(bhs), {}});
}

void SessionEngine::Impl::reject(pdu::RejectReason reason, const pdu::Pdu& rejected) {
  // Re-encode the header alone and restore its DataSegmentLength.
  pdu::Pdu header_only{rejected.header, {}, rejected.ahs};
  Bytes bhs = pdu::encode(header_only);
  bhs.resize(pdu::kBhsLength);
  store_be24(bhs.data() + 5, static_cast<std::uint32_t>(std::min<std::size_t>(
                                 rejected.data.size(), pdu::kMaxDataSegmentLength)));
  reject(reason, std::move(bhs));
}

// ---- Reports -----------------------------------------------------------------------------------

void SessionEngine::Impl::report(const ViolationKind& kind, std::string detail) {
  report(Violation{kind, std::move(detail)});
}

void SessionEngine::Impl::report(Violation violation) {
  // kMaxReportsPerViolationId: a flood of one mistake is reported a bounded number of times.
  auto [it, inserted] = report_counts_.try_emplace(std::string(violation.id()), 0);
  if (it->second >= kMaxReportsPerViolationId) return;
  ++it->second;
  queue_output(ReportViolation{std::move(violation)});
}

void SessionEngine::Impl::report_state(std::string from, std::string to) {
  state_ = to;
  queue_output(ReportState{"session", std::move(from), std::move(to)});
}

void SessionEngine::Impl::note_exp_stat_sn(const pdu::Pdu& pdu) {
  const std::optional<std::uint32_t> value = pdu::exp_stat_sn(pdu.header);
  if (!value) return;
  // RFC 7143 §4.2.2.2: ExpStatSN acknowledges every StatSN below it; it cannot pass what was
  // handed out (stat_sn_ is the next StatSN) and never moves backwards.
  if (serial_gt(*value, stat_sn_)) {
    report(v::kExpStatSnAhead,
           fmt::format("{} ExpStatSN {} acknowledges beyond the next StatSN {}",
                       pdu::to_string(pdu::opcode(pdu)), *value, stat_sn_));
    return;
  }
  if (serial_lt(*value, acked_stat_sn_)) {
    report(v::kExpStatSnBackwards,
           fmt::format("{} ExpStatSN {} is below the earlier acknowledgement {}",
                       pdu::to_string(pdu::opcode(pdu)), *value, acked_stat_sn_));
    return;
  }
  acked_stat_sn_ = *value;
}

// ---- Closing ---------------------------------------------------------------------------------

void SessionEngine::Impl::close(bool graceful, std::string reason) {
  if (closed_) return;
  if (!graceful) {
    // A reset sends nothing more: drop queued PDUs and read data, keep the reports.
    std::erase_if(queue_, [](const QueueItem& item) {
      const auto* output = std::get_if<Output>(&item);
      return output == nullptr || std::holds_alternative<SendPdu>(*output);
    });
    queued_streams_ = 0;
  }
  queue_output(CloseConnection{graceful, reason});
  end_session();
}

void SessionEngine::Impl::end_session() {
  if (closed_) return;
  closed_ = true;
  // RFC 7143 §7.1 (ERL 0): the session ends with its connection; every task is gone and late
  // completions are dropped (their serials no longer match).
  tasks_.clear();
  write_buffer_bytes_ = 0;
  reset_text();
  if (nexus_active_ && setup_.port != nullptr) setup_.port->nexus_removed(setup_.nexus);
  nexus_active_ = false;
  report_state(state_, "closed");
}

void SessionEngine::Impl::flush_notify() {
  if (depth_ == 0 && notify_ && !queue_.empty()) notify_();
}

std::uint32_t SessionEngine::Impl::new_ttt() {
  // RFC 7143 §11.2.1.7: 0xffffffff is never a valid TTT.
  if (next_ttt_ == pdu::kReservedTag) next_ttt_ = 1;
  return next_ttt_++;
}

// ---- Timers ------------------------------------------------------------------------------------

std::optional<runtime::TimePoint> SessionEngine::Impl::next_deadline() const {
  if (closed_) return std::nullopt;
  std::optional<runtime::TimePoint> next;
  const auto consider = [&next](runtime::TimePoint at) {
    if (!next || at < *next) next = at;
  };
  if (ping_ttt_) {
    consider(ping_deadline_);
  } else if (setup_.nop.interval > runtime::Duration::zero()) {
    consider(last_activity_ + setup_.nop.interval);
  }
  if (logout_deadline_) consider(*logout_deadline_);
  return next;
}

void SessionEngine::Impl::on_deadline(runtime::TimePoint now) {
  if (closed_) return;
  now_ = now;
  if (logout_deadline_ && now >= *logout_deadline_) {
    report(v::kLogoutTimeout, "no Logout Request within the time given by Async Message "
                              "event 1 (Parameter3)");
    close(false, "no Logout after the target requested it");
    return;
  }
  if (ping_ttt_) {
    if (now >= ping_deadline_) {
      report(v::kNopTimeout, fmt::format("NOP-In ping TTT 0x{:08x} unanswered for {} ms",
                                         *ping_ttt_, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                         setup_.nop.timeout)
                                                         .count()));
      close(false, "NOP-In ping timed out");
    }
    return;
  }
  if (setup_.nop.interval > runtime::Duration::zero() &&
      now >= last_activity_ + setup_.nop.interval) {
    send_ping(now);
  }
}

void SessionEngine::Impl::send_ping(runtime::TimePoint now) {
  // RFC 7143 §11.19: a target ping has ITT 0xffffffff and a valid TTT; the initiator answers
  // with a NOP-Out echoing TTT and LUN (C129).
  pdu::NopIn ping;
  ping.itt = pdu::kReservedTag;
  ping.ttt = new_ttt();
  ping_ttt_ = ping.ttt;
  ping_deadline_ = now + setup_.nop.timeout;
  queue_pdu(pdu::Pdu{ping, {}, {}});
}

void SessionEngine::Impl::request_logout(runtime::TimePoint now, std::uint16_t seconds) {
  if (closed_) return;
  now_ = now;
  // RFC 7143 §11.9.1: AsyncEvent 1, Parameter3 = seconds the initiator has to log out.
  pdu::AsyncMessage message;
  message.async_event = pdu::AsyncEvent::logout_request;
  message.parameter3 = seconds;
  queue_pdu(pdu::Pdu{message, {}, {}});
  logout_deadline_ = now + std::chrono::seconds(seconds);
}

// ---- SessionEngine ---------------------------------------------------------------------------

SessionEngine::SessionEngine(SessionSetup setup, runtime::TimePoint now)
    : impl_(std::make_unique<Impl>(std::move(setup), now)) {}

SessionEngine::~SessionEngine() = default;

void SessionEngine::on_pdu(runtime::TimePoint now, pdu::Pdu pdu) {
  if (impl_->closed_) return;
  ++impl_->depth_;
  impl_->now_ = now;
  impl_->last_activity_ = now;
  impl_->on_pdu(std::move(pdu));
  --impl_->depth_;
}

void SessionEngine::on_frame_error(runtime::TimePoint now, const pdu::FrameError& error) {
  if (impl_->closed_) return;
  ++impl_->depth_;
  impl_->now_ = now;
  impl_->last_activity_ = now;
  impl_->on_frame_error(error);
  --impl_->depth_;
}

void SessionEngine::on_deadline(runtime::TimePoint now) {
  ++impl_->depth_;
  impl_->on_deadline(now);
  --impl_->depth_;
}

void SessionEngine::on_transport_closed(runtime::TimePoint now) {
  ++impl_->depth_;
  impl_->now_ = now;
  if (!impl_->closed_) {
    impl_->queue_.clear();
    impl_->queued_streams_ = 0;
    impl_->end_session();
  }
  --impl_->depth_;
}

void SessionEngine::request_logout(runtime::TimePoint now, std::uint16_t time_to_logout_s) {
  ++impl_->depth_;
  impl_->request_logout(now, time_to_logout_s);
  --impl_->depth_;
}

void SessionEngine::abort_tasks(std::optional<pdu::Lun> lun) {
  if (impl_->closed_) return;
  // Another session's LU or target reset: our tasks end without a response (SAM-5 §5.6,
  // TAS=0); the Port raises the unit attention.
  std::vector<std::uint32_t> itts;
  for (const auto& [itt, task] : impl_->tasks_) {
    if (!lun || task.lun == *lun) itts.push_back(itt);
  }
  for (std::uint32_t itt : itts) impl_->drop_task(itt);
  impl_->window_.discard_queued([&lun](const pdu::Pdu& pdu) {
    return pdu::opcode(pdu) == pdu::Opcode::scsi_command &&
           (!lun || pdu::lun(pdu.header) == lun);
  });
  impl_->flush_notify();
}

std::vector<Output> SessionEngine::take_outputs() { return impl_->take_outputs(); }

bool SessionEngine::has_outputs() const { return !impl_->queue_.empty(); }

std::optional<runtime::TimePoint> SessionEngine::next_deadline() const {
  return impl_->next_deadline();
}

void SessionEngine::set_notify(std::function<void()> notify) { impl_->notify_ = std::move(notify); }

const login::LoginSucceeded& SessionEngine::parameters() const { return impl_->setup_.login; }

bool SessionEngine::closed() const { return impl_->closed_; }

}  // namespace iscsi::target::session
