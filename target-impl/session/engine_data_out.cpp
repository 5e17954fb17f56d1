// Write data from the initiator: Data-Out PDUs (RFC 7143 §11.7), R2Ts (§11.8), and the
// framing errors the connection driver passes on (RFC 7143 §7.8, §13.1: a header digest error
// ends the connection at ERL 0, a data digest error is answered with Reject 0x02).
#include <algorithm>

#include <fmt/format.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/violations.hpp"
#include "target-impl/session/engine_impl.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

void SessionEngine::Impl::on_data_out(pdu::Pdu pdu) {
  const auto& header = std::get<pdu::ScsiDataOut>(pdu.header);
  if (discovery()) {
    report(v::kNotInDiscovery, "SCSI Data-Out in a Discovery session");
    reject(pdu::RejectReason::command_not_supported, pdu);
    return;
  }
  const auto it = tasks_.find(header.itt);
  if (it == tasks_.end() || !it->second.transfer || it->second.executing) {
    // Data still in flight for a task the initiator aborted is dropped quietly.
    if (std::find(aborted_itts_.begin(), aborted_itts_.end(), header.itt) != aborted_itts_.end())
      return;
    report(v::kDataOutUnknownTask,
           fmt::format("Data-Out ITT 0x{:08x} (TTT 0x{:08x}, offset {}) names no write task "
                       "awaiting data",
                       header.itt, header.ttt, header.buffer_offset));
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    return;
  }
  Task& task = it->second;
  if (header.ttt != pdu::kReservedTag && header.lun != task.lun) {
    report(v::kDataOutLun, fmt::format("Data-Out ITT 0x{:08x} carries LUN {} instead of {}",
                                       header.itt, header.lun.to_string(), task.lun.to_string()));
  }
  report_verdict(task.transfer->accept_data_out(header, pdu.data), pdu);
  start_if_ready(header.itt);
}

void SessionEngine::Impl::report_verdict(DataVerdict verdict, const pdu::Pdu& pdu) {
  for (Violation& violation : verdict.violations) report(std::move(violation));
  if (verdict.reject) reject(*verdict.reject, pdu);
}

void SessionEngine::Impl::grant_r2ts(Task& task) {
  for (const R2tGrant& grant : task.transfer->grant_r2ts([this] { return new_ttt(); })) {
    pdu::R2t r2t;
    r2t.lun = task.lun;
    r2t.itt = task.itt;
    r2t.ttt = grant.ttt;
    r2t.r2t_sn = grant.r2t_sn;
    r2t.buffer_offset = grant.buffer_offset;
    r2t.desired_data_transfer_length = grant.desired_data_transfer_length;
    queue_pdu(pdu::Pdu{r2t, {}, {}});
  }
}

void SessionEngine::Impl::lose_data_out(const pdu::ScsiDataOut& header, TaskFailure why) {
  const auto it = tasks_.find(header.itt);
  if (it == tasks_.end() || !it->second.transfer || it->second.executing) return;
  it->second.transfer->lose_data_out(header, why);
  start_if_ready(header.itt);
}

namespace {

pdu::RejectReason reject_reason_for(std::string_view id) {
  namespace pv = pdu::violations;
  if (id == pv::kDataDigestMismatch.id) return pdu::RejectReason::data_digest_error;
  if (id == pv::kVendorOpcode.id) return pdu::RejectReason::command_not_supported;
  if (id == pv::kAhsLengthMismatch.id) return pdu::RejectReason::invalid_pdu_field;
  return pdu::RejectReason::protocol_error;
}

}  // namespace

void SessionEngine::Impl::on_frame_error(const pdu::FrameError& error) {
  report(error.violation);
  if (error.fatal()) {
    // RFC 7143 §7.8: after a header digest error the framing cannot be trusted; at ERL 0 the
    // connection (and with it the session) ends.
    close(false, error.violation.to_string());
    return;
  }
  if (error.bhs.size() < pdu::kBhsLength) return;
  const std::string_view id = error.violation.id();
  reject(reject_reason_for(id), error.bhs);
  // RFC 7143 §7.8: the PDU is discarded. A lost Data-Out fails its task (CHECK CONDITION
  // once its sequences end); a lost command is not executed (its CmdSN stays unreceived).
  Result<pdu::DecodedPdu> decoded = pdu::decode_bhs(error.bhs);
  if (!decoded) return;
  if (const auto* data_out = std::get_if<pdu::ScsiDataOut>(&decoded->pdu.header)) {
    lose_data_out(*data_out, id == pdu::violations::kDataDigestMismatch.id
                                 ? TaskFailure::protocol_service_crc_error
                                 : TaskFailure::data_phase_error);
  }
}

}  // namespace iscsi::target::session
