// Write data (RFC 7143 §4.2.5.2, §11.7, §11.8, §13.10-§13.17): immediate data in the SCSI
// Command, unsolicited Data-Out up to FirstBurstLength, and the answer to every R2T, after the
// R2T has been checked.
#include <fmt/format.h>

#include <algorithm>

#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

std::uint32_t SessionEngine::Impl::immediate_length(const ScsiTask& task) const {
  // RFC 7143 §13.11, §13.14: immediate data only with ImmediateData=Yes, at most
  // FirstBurstLength and what the target can receive in one data segment.
  if (!task.writes() || !setup_.session.immediate_data) return 0;
  return std::min({task.write_length(), setup_.session.first_burst_length, target_mrdsl()});
}

std::uint32_t SessionEngine::Impl::unsolicited_length(const ScsiTask& task) const {
  // RFC 7143 §13.10: with InitialR2T=No, immediate plus unsolicited Data-Out up to
  // FirstBurstLength; with InitialR2T=Yes only the immediate data is unsolicited.
  if (!task.writes()) return 0;
  if (setup_.session.initial_r2t) return immediate_length(task);
  return std::min(task.write_length(), setup_.session.first_burst_length);
}

void SessionEngine::Impl::on_command_sent(ScsiTask& task) {
  const std::uint32_t immediate = immediate_length(task);
  const std::uint32_t unsolicited = unsolicited_length(task);
  task.unsolicited_bytes = unsolicited;
  task.next_solicited_offset = unsolicited;
  if (unsolicited > immediate) {
    // RFC 7143 §11.7.4: unsolicited Data-Out carries TTT 0xffffffff and the command's LUN.
    send_data_out(task, pdu::kReservedTag, task.request.lun, immediate, unsolicited - immediate);
  }
}

void SessionEngine::Impl::send_data_out(ScsiTask& task, std::uint32_t ttt, pdu::Lun lun,
                                        std::uint32_t offset, std::uint32_t length) {
  // RFC 7143 §11.7.5: DataSN starts at 0 for each sequence; F=1 on its last PDU; each data
  // segment at most the target's MaxRecvDataSegmentLength (§13.12).
  const std::uint32_t segment = target_mrdsl();
  std::uint32_t data_sn = 0;
  for (std::uint32_t done = 0; done < length;) {
    const std::uint32_t piece = std::min(segment, length - done);
    pdu::ScsiDataOut header;
    header.lun = lun;
    header.itt = task.itt;
    header.ttt = ttt;
    header.data_sn = data_sn++;
    header.buffer_offset = offset + done;
    header.final = done + piece == length;
    pdu::Pdu pdu{header, {}, {}};
    const auto begin = task.request.data_out.begin() + (offset + done);
    pdu.data.assign(begin, begin + piece);
    queue_pdu(std::move(pdu));
    done += piece;
  }
}

void SessionEngine::Impl::on_r2t(const pdu::Pdu& pdu) {
  const auto& r2t = std::get<pdu::R2t>(pdu.header);
  const auto found = tasks_.find(r2t.itt);
  if (found == tasks_.end() || !found->second.sent) {
    return report(v::kUnknownItt,
                  fmt::format("R2T for ITT 0x{:08x}, no command in progress", r2t.itt));
  }
  ScsiTask& task = found->second;
  if (!check_r2t(task, r2t)) return;
  task.next_r2t_sn = r2t.r2t_sn + 1;
  task.next_solicited_offset = r2t.buffer_offset + r2t.desired_data_transfer_length;
  ++task.r2ts_unwritten;
  r2ts_unwritten_any_ = true;
  // RFC 7143 §11.7.4: the Data-Out answering an R2T echoes its TTT and LUN.
  send_data_out(task, r2t.ttt, r2t.lun, r2t.buffer_offset, r2t.desired_data_transfer_length);
}

bool SessionEngine::Impl::check_r2t(ScsiTask& task, const pdu::R2t& r2t) {
  // Each failure below is fatal and closes the connection (which ends `task`): return at once.
  const std::string what = fmt::format("R2T ITT 0x{:08x} R2TSN {}", r2t.itt, r2t.r2t_sn);
  if (!task.writes()) {
    report(v::kR2tNotWrite, fmt::format("{}: the command is not a write", what));
    return false;
  }
  if (r2t.ttt == pdu::kReservedTag) {
    report(v::kR2tReservedTtt, fmt::format("{}: Target Transfer Tag 0xffffffff", what));
    return false;
  }
  if (r2t.r2t_sn != task.next_r2t_sn) {
    report(v::kR2tSn, fmt::format("{}: expected R2TSN {}", what, task.next_r2t_sn));
    return false;
  }
  const std::uint32_t length = r2t.desired_data_transfer_length;
  if (length == 0 || length > setup_.session.max_burst_length) {
    report(v::kR2tLength, fmt::format("{}: Desired Data Transfer Length {} (MaxBurstLength {})",
                                      what, length, setup_.session.max_burst_length));
    return false;
  }
  const std::uint64_t end = std::uint64_t{r2t.buffer_offset} + length;
  if (end > task.write_length() || r2t.buffer_offset < task.unsolicited_bytes) {
    report(v::kR2tRange,
           fmt::format("{}: bytes {}-{} outside the solicitable {}-{}", what, r2t.buffer_offset,
                       end, task.unsolicited_bytes, task.write_length()));
    return false;
  }
  if (setup_.session.data_sequence_in_order && r2t.buffer_offset != task.next_solicited_offset) {
    report(v::kR2tRange, fmt::format("{}: Buffer Offset {} but DataSequenceInOrder=Yes needs {}",
                                     what, r2t.buffer_offset, task.next_solicited_offset));
    return false;
  }
  if (!setup_.session.data_sequence_in_order &&
      task.solicited.insert(r2t.buffer_offset, static_cast<std::uint32_t>(end)) !=
          RangeSet::Insert::added) {
    report(v::kR2tRange,
           fmt::format("{}: bytes {}-{} were already solicited", what, r2t.buffer_offset, end));
    return false;
  }
  if (task.r2ts_unwritten >= std::max<std::uint32_t>(setup_.session.max_outstanding_r2t, 1)) {
    report(v::kR2tOutstanding,
           fmt::format("{}: {} earlier R2Ts not yet answered on the wire (MaxOutstandingR2T {})",
                       what, task.r2ts_unwritten, setup_.session.max_outstanding_r2t));
  }
  return true;
}

}  // namespace iscsi::initiator::session
