// NOP-Out/NOP-In (RFC 7143 §11.18, §11.19), Text requests in full feature phase (§11.10,
// §11.11, §6.2), Logout (§11.14, §11.15) and SNACK at ErrorRecoveryLevel 0 (§11.16).
#include <algorithm>

#include <fmt/format.h>

#include "core/negotiation/negotiator.hpp"
#include "core/text/key_value.hpp"
#include "target-impl/session/engine_impl.hpp"
#include "target-impl/session/session_violations.hpp"

namespace iscsi::target::session {

namespace v = violations;

// ---- NOP ---------------------------------------------------------------------------------------

void SessionEngine::Impl::on_nop_out(pdu::Pdu pdu) {
  const auto& nop = std::get<pdu::NopOut>(pdu.header);
  if (nop.itt != pdu::kReservedTag) {
    admit(std::move(pdu));
    return;
  }
  if (!nop.immediate) {
    // RFC 7143 §11.18: ITT 0xffffffff requires I=1 (C128).
    report(v::kNopNotImmediate, "NOP-Out with ITT 0xffffffff and I=0");
    reject(pdu::RejectReason::protocol_error, pdu);
    return;
  }
  // An answer to our ping, or a plain ExpStatSN update: no response, CmdSN not advanced.
  if (nop.ttt == pdu::kReservedTag) return;
  if (ping_ttt_ && *ping_ttt_ == nop.ttt) {
    ping_ttt_.reset();
    return;
  }
  report(v::kNopUnknownTtt,
         fmt::format("NOP-Out answers TTT 0x{:08x}, which no NOP-In carried", nop.ttt));
  reject(pdu::RejectReason::invalid_pdu_field, pdu);
}

void SessionEngine::Impl::process_nop_out(const pdu::Pdu& pdu) {
  const auto& nop = std::get<pdu::NopOut>(pdu.header);
  if (nop.ttt != pdu::kReservedTag) {
    if (!ping_ttt_ || *ping_ttt_ != nop.ttt) {
      report(v::kNopUnknownTtt,
             fmt::format("NOP-Out ITT 0x{:08x} carries TTT 0x{:08x}, which no NOP-In carried",
                         nop.itt, nop.ttt));
      reject(pdu::RejectReason::invalid_pdu_field, pdu);
      return;
    }
    ping_ttt_.reset();
  }
  // RFC 7143 §11.19: the reply echoes ITT, LUN and the ping data (bounded by the initiator's
  // MaxRecvDataSegmentLength) and carries a StatSN of its own (C126).
  pdu::NopIn reply;
  reply.lun = nop.lun;
  reply.itt = nop.itt;
  reply.ttt = pdu::kReservedTag;
  const std::size_t length = std::min<std::size_t>(pdu.data.size(), initiator_mrdsl());
  queue_pdu(pdu::Pdu{reply, Bytes(pdu.data.begin(), pdu.data.begin() +
                                                      static_cast<std::ptrdiff_t>(length)),
                     {}});
}

// ---- Text ------------------------------------------------------------------------------------

void SessionEngine::Impl::reset_text() {
  text_.itt.reset();
  text_.ttt = pdu::kReservedTag;
  text_.accumulator.reset();
  text_.segments.clear();
  text_.final_requested = false;
}

void SessionEngine::Impl::process_text(const pdu::Pdu& pdu) {
  const auto& request = std::get<pdu::TextRequest>(pdu.header);
  if (request.final && request.continue_) {
    report(v::kTextFinalAndContinue,
           fmt::format("Text Request ITT 0x{:08x} has both F and C set", request.itt));
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    return;
  }
  if (request.ttt != pdu::kReservedTag) {
    // RFC 7143 §11.10.4: a TTT continues the exchange the target gave it to (C175).
    if (!text_.itt || *text_.itt != request.itt || request.ttt != text_.ttt) {
      report(v::kTextUnknownTtt,
             fmt::format("Text Request ITT 0x{:08x} carries TTT 0x{:08x}, which the target did "
                         "not issue for it",
                         request.itt, request.ttt));
      reject(pdu::RejectReason::invalid_pdu_field, pdu);
      return;
    }
  } else {
    // TTT 0xffffffff starts a new exchange; one in progress is abandoned.
    reset_text();
    text_.itt = request.itt;
    text_.negotiation.begin_negotiation();
  }
  text_.final_requested = request.final;
  if (!text_.segments.empty()) {
    send_text_segment(request);
    return;
  }
  Result<std::optional<text::KeyValueList>> fed =
      text_.accumulator.feed(pdu.data, request.continue_);
  if (!fed) {
    report(fed.error());
    report(v::kTextNegotiationFailed,
           fmt::format("Text Request ITT 0x{:08x}: malformed text, exchange dropped", request.itt));
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    reset_text();
    return;
  }
  if (!fed->has_value()) {
    // RFC 7143 §11.10.2: C=1, more text follows; answer empty with a TTT to continue.
    pdu::TextResponse response;
    response.final = false;
    response.itt = request.itt;
    response.ttt = text_.ttt = new_ttt();
    queue_pdu(pdu::Pdu{response, {}, {}});
    return;
  }
  answer_text(pdu, **fed);
}

void SessionEngine::Impl::answer_text(const pdu::Pdu& pdu, const text::KeyValueList& pairs) {
  const auto& request = std::get<pdu::TextRequest>(pdu.header);
  const negotiation::NegotiationContext context{negotiation::Role::target,
                                                negotiation::Phase::full_feature, true};
  negotiation::Outcome outcome =
      negotiation::receive(text_.negotiation, pairs, setup_.text_policy, context);
  if (!outcome.failed() && request.final) {
    negotiation::Outcome end = negotiation::finish(outcome.state, setup_.text_policy, context);
    for (Violation& violation : end.violations) outcome.violations.push_back(std::move(violation));
    outcome.state = std::move(end.state);
  }
  for (const Violation& violation : outcome.violations) report(violation);
  if (outcome.failed()) {
    report(v::kTextNegotiationFailed,
           fmt::format("Text Request ITT 0x{:08x}: {}; parameters unchanged", request.itt,
                       outcome.first_fatal()->to_string()));
    reject(pdu::RejectReason::invalid_pdu_field, pdu);
    reset_text();
    return;
  }
  text::KeyValueList reply = std::move(outcome.reply);
  if (outcome.send_targets && setup_.send_targets) {
    // RFC 7143 §13.3: the answer is the target records the initiator may see.
    for (text::KeyValue& pair : setup_.send_targets(*outcome.send_targets)) {
      reply.push_back(std::move(pair));
    }
  }
  text_.negotiation = std::move(outcome.state);
  // Split with the MaxRecvDataSegmentLength in force when the request arrived.
  for (text::TextSegment& segment : text::split_text(text::encode_text(reply), initiator_mrdsl())) {
    text_.segments.push_back(std::move(segment));
  }
  if (request.final) {
    // The exchange is complete: its results (MaxRecvDataSegmentLength...) take effect.
    setup_.login.session = text_.negotiation.session;
    setup_.login.connection = text_.negotiation.connection;
  }
  send_text_segment(request);
}

void SessionEngine::Impl::send_text_segment(const pdu::TextRequest& request) {
  text::TextSegment segment = std::move(text_.segments.front());
  text_.segments.pop_front();
  pdu::TextResponse response;
  response.itt = request.itt;
  response.continue_ = !text_.segments.empty();
  if (!text_.segments.empty() || !text_.final_requested) {
    // RFC 7143 §11.11: more to come (C=1), or the initiator goes on negotiating: F=0 and a
    // TTT the next request must echo (C112).
    response.final = false;
    response.ttt = text_.ttt = new_ttt();
    queue_pdu(pdu::Pdu{response, std::move(segment.data), {}});
    return;
  }
  response.final = true;
  response.ttt = pdu::kReservedTag;
  queue_pdu(pdu::Pdu{response, std::move(segment.data), {}});
  reset_text();
}

// ---- Logout ----------------------------------------------------------------------------------

void SessionEngine::Impl::process_logout(const pdu::Pdu& pdu) {
  const auto& request = std::get<pdu::LogoutRequest>(pdu.header);
  const auto answer = [&](pdu::LogoutResponseCode code) {
    pdu::LogoutResponse response;
    response.response = code;
    response.itt = request.itt;
    queue_pdu(pdu::Pdu{response, {}, {}});
  };
  switch (request.reason_code) {
    case pdu::LogoutReason::close_session:
      break;
    case pdu::LogoutReason::close_connection:
      if (request.cid != setup_.login.cid) {
        answer(pdu::LogoutResponseCode::cid_not_found);  // C164
        return;
      }
      break;
    case pdu::LogoutReason::remove_connection_for_recovery:
      // RFC 7143 §11.15.1: connection recovery needs ErrorRecoveryLevel 2 (C165).
      answer(pdu::LogoutResponseCode::connection_recovery_not_supported);
      return;
    default:
      report(v::kLogoutReason, fmt::format("Logout Request ITT 0x{:08x} with reserved reason {}",
                                           request.itt,
                                           static_cast<unsigned>(request.reason_code)));
      reject(pdu::RejectReason::invalid_pdu_field, pdu);
      return;
  }
  logout_received_ = true;
  logout_deadline_.reset();
  pending_logout_ = request;
  report_state(state_, "logout_requested");
  // An immediate Logout ends the tasks still running (RFC 7143 §11.14.3); a non-immediate one
  // is answered after the commands before it (C166).
  if (request.immediate) abort_matching(std::nullopt, request.cmd_sn, false);
  // Commands numbered after the Logout (queued behind a gap) will never run.
  std::vector<std::uint32_t> later;
  for (const auto& [itt, task] : tasks_) {
    if (!task.delivered) later.push_back(itt);
  }
  for (std::uint32_t itt : later) drop_task(itt);
  if (tasks_.empty()) finish_logout();
}

void SessionEngine::Impl::finish_logout() {
  if (!pending_logout_) return;
  const pdu::LogoutRequest request = *pending_logout_;
  pending_logout_.reset();
  // RFC 7143 §11.15: at ERL 0 Time2Wait/Time2Retain are ignored; 0 says nothing is retained.
  pdu::LogoutResponse response;
  response.response = pdu::LogoutResponseCode::closed_successfully;
  response.itt = request.itt;
  queue_pdu(pdu::Pdu{response, {}, {}});
  close(true, request.reason_code == pdu::LogoutReason::close_session ? "Logout: close session"
                                                                      : "Logout: close connection");
}

// ---- SNACK -----------------------------------------------------------------------------------

void SessionEngine::Impl::on_snack(const pdu::Pdu& pdu) {
  const std::uint8_t erl = setup_.login.session.error_recovery_level;
  report(v::kSnackAtErl0,
         fmt::format("SNACK ({}) with ErrorRecoveryLevel {}: no retransmission at this level",
                     pdu::to_string(std::get<pdu::SnackRequest>(pdu.header).type), erl));
  reject(erl == 0 ? pdu::RejectReason::protocol_error : pdu::RejectReason::snack_reject, pdu);
}

}  // namespace iscsi::target::session
