// NOP (RFC 7143 §11.18, §11.19): our NOP-Out pings with their timeout, and answers to the
// target's NOP-In pings.
#include <fmt/format.h>

#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

void SessionEngine::Impl::on_nop_in(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::NopIn>(pdu.header);
  if (header.itt != pdu::kReservedTag) {
    if (!ping_ || ping_->itt != header.itt) {
      return report(v::kUnknownItt,
                    fmt::format("NOP-In for ITT 0x{:08x}, no ping in progress", header.itt));
    }
    // RFC 7143 §11.19.2: a NOP-In answering a NOP-Out has TTT 0xffffffff and echoes its data
    // (our pings carry none).
    if (header.ttt != pdu::kReservedTag) {
      report(v::kNopReplyTtt, fmt::format("NOP-In ITT 0x{:08x}: TTT 0x{:08x} in a ping reply",
                                          header.itt, header.ttt));
    }
    if (!pdu.data.empty()) {
      report(v::kNopReplyData, fmt::format("NOP-In ITT 0x{:08x}: {} data bytes, the ping had 0",
                                           header.itt, pdu.data.size()));
    }
    ping_.reset();
    return;
  }
  // TTT 0xffffffff: a window update or keep-alive, no answer wanted (RFC 7143 §11.19.1).
  if (header.ttt == pdu::kReservedTag) return;
  // RFC 7143 §11.18: the answer is immediate, ITT 0xffffffff, echoes TTT, LUN and data, and
  // does not advance CmdSN.
  pdu::NopOut reply;
  reply.immediate = true;
  reply.lun = header.lun;
  reply.itt = pdu::kReservedTag;
  reply.ttt = header.ttt;
  reply.cmd_sn = immediate_cmd_sn();
  pdu::Pdu answer{reply, {}, {}};
  const std::size_t length = std::min<std::size_t>(pdu.data.size(), target_mrdsl());
  answer.data.assign(pdu.data.begin(), pdu.data.begin() + static_cast<long>(length));
  queue_pdu(std::move(answer));
}

std::optional<runtime::TimePoint> SessionEngine::Impl::ping_due() const {
  if (closed_ || ping_ || setup_.nop.interval.count() <= 0) return std::nullopt;
  return last_received_ + setup_.nop.interval;
}

void SessionEngine::Impl::send_ping(runtime::TimePoint now) {
  Ping ping;
  ping.itt = new_itt();
  if (setup_.nop.timeout.count() > 0) ping.deadline = now + setup_.nop.timeout;
  ping_ = ping;
  // RFC 7143 §11.18: a ping has a valid ITT and TTT 0xffffffff; sent immediate, so it passes a
  // closed CmdSN window.
  pdu::NopOut request;
  request.immediate = true;
  request.itt = ping.itt;
  request.ttt = pdu::kReservedTag;
  request.cmd_sn = immediate_cmd_sn();
  queue_pdu(pdu::Pdu{request, {}, {}});
}

}  // namespace iscsi::initiator::session
