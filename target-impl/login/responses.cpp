// Login Responses (RFC 7143 §11.13): header fields, StatSN numbering, C=1 continuation of
// long texts, the Final-Response, and failure responses.
#include <utility>

#include <fmt/format.h>

#include "target-impl/login/engine_impl.hpp"
#include "target-impl/login/login_violations.hpp"

namespace iscsi::target::login {

void LoginEngine::Impl::change_phase(LoginPhase next, LoginStep& step) {
  if (next == phase) return;
  step.states.push_back(StateChange{"login", std::string(to_string(phase)),
                                    std::string(to_string(next))});
  phase = next;
}

// RFC 7143 §11.13: Version-active 0, the ISID and ITT echoed, StatSN counting from the first
// response (the initiator's ExpStatSN under rfc, 0 under tgt), ExpCmdSN = the login's CmdSN
// (Login Requests are immediate and do not advance it, RFC 7143 §4.2.2.1).
pdu::LoginResponse LoginEngine::Impl::response_header(std::uint32_t itt, pdu::Stage csg) {
  pdu::LoginResponse response;
  response.csg = csg;
  response.version_max = 0;
  response.version_active = 0;
  response.itt = itt;
  if (leading) {
    response.isid = leading->isid;
    response.tsih = leading->tsih;
    response.exp_cmd_sn = leading->cmd_sn;
    response.max_cmd_sn = leading->cmd_sn + kLoginMaxCmdSnAhead;
  }
  response.stat_sn = stat_sn++;
  return response;
}

void LoginEngine::Impl::respond(const pdu::LoginRequest& request, const text::KeyValueList& pairs,
                                bool transit, pdu::Stage nsg, LoginStep& step) {
  auto segments = text::split_text(text::encode_text(pairs), kMaxLoginResponseSegment);
  if (segments.size() == 1) {
    send_segment(request, std::move(segments.front()), transit, nsg, step);
    return;
  }
  // RFC 7143 §11.13: T=0 on every response with C=1; the stage decision rides on the last.
  pending = PendingResponse{{}, transit, nsg};
  for (std::size_t i = 1; i < segments.size(); ++i) {
    pending->segments.push_back(std::move(segments[i]));
  }
  send_segment(request, std::move(segments.front()), false, pdu::Stage::security_negotiation,
               step);
}

void LoginEngine::Impl::send_pending(const pdu::LoginRequest& request, LoginStep& step) {
  text::TextSegment segment = std::move(pending->segments.front());
  pending->segments.pop_front();
  if (!segment.continue_bit) {
    const PendingResponse last = std::move(*pending);
    pending.reset();
    send_segment(request, std::move(segment), last.transit, last.nsg, step);
    return;
  }
  send_segment(request, std::move(segment), false, pdu::Stage::security_negotiation, step);
}

void LoginEngine::Impl::send_segment(const pdu::LoginRequest& request, text::TextSegment segment,
                                     bool transit, pdu::Stage nsg, LoginStep& step) {
  pdu::LoginResponse response = response_header(request.itt, request.csg);
  response.continue_ = segment.continue_bit;
  response.transit = transit;
  response.nsg = transit ? nsg : pdu::Stage::security_negotiation;
  const bool final_response = transit && nsg == pdu::Stage::full_feature_phase;
  if (final_response) {
    complete_login(response, step);
    if (phase == LoginPhase::failed) return;
  } else if (transit && nsg == pdu::Stage::login_operational_negotiation) {
    change_phase(LoginPhase::operational, step);
  }
  step.responses.push_back(pdu::Pdu{response, std::move(segment.data), {}});
}

// The Login Final-Response (RFC 7143 §11.13): a new TSIH from the registry, and everything the
// full feature phase needs.
void LoginEngine::Impl::complete_login(pdu::LoginResponse& response, LoginStep& step) {
  if (!setup.allocate_tsih) {
    --stat_sn;  // the failure response takes this StatSN instead
    fail(response.itt, response.csg,
         failure(kTargetError, violations::kTargetError, "the login has no TSIH allocator"), step);
    return;
  }
  const std::uint16_t tsih = setup.allocate_tsih();
  if (tsih == 0) {
    --stat_sn;
    fail(response.itt, response.csg,
         failure(kOutOfResources, violations::kOutOfResources,
                 "the session registry could not allocate a TSIH"),
         step);
    return;
  }
  response.tsih = tsih;
  LoginSucceeded done;
  done.session = negotiation.session;
  done.connection = negotiation.connection;
  done.isid = response.isid;
  done.tsih = tsih;
  done.cid = leading->cid;
  done.initiator_name = initiator_name;
  done.initiator_alias = negotiation.session.initiator_alias;
  if (target != nullptr) {
    done.tid = target->tid;
    done.target_name = target->name;
  }
  if (chap && authenticated) done.chap_user = chap->authenticated_name();
  done.exp_cmd_sn = leading->cmd_sn;
  done.stat_sn = stat_sn;
  done.max_cmd_sn = response.max_cmd_sn;
  succeeded = std::move(done);
  change_phase(LoginPhase::full_feature, step);
  step.next = LoginStep::Next::full_feature;
}

// RFC 7143 §11.13.5: a response with a non-zero Status-Class ends the login; both sides close.
void LoginEngine::Impl::fail(std::uint32_t itt, pdu::Stage csg, LoginFailure why,
                             LoginStep& step) {
  pdu::LoginResponse response = response_header(itt, csg);
  response.set_status(static_cast<pdu::LoginStatus>(why.status));
  if (quirks.zeroed_failure_header) {
    // tgt 1.0.85 (usr/iscsi/iscsid.c cmnd_exec_login): the header starts zeroed and its
    // init_err/auth_err paths clear the flags.
    response.isid = {};
    response.tsih = 0;
    response.stat_sn = 0;
    response.exp_cmd_sn = 0;
    response.max_cmd_sn = 0;
    if (why.status == 0x0200 || why.status == 0x0201) response.csg = pdu::Stage::security_negotiation;
  }
  Bytes data = text::encode_text(why.text);
  if (data.size() > kMaxLoginResponseSegment) data.clear();  // never more than one PDU
  if (why.violation) step.violations.push_back(std::move(*why.violation));
  step.responses.push_back(pdu::Pdu{response, std::move(data), {}});
  step.status = why.status;
  step.next = LoginStep::Next::close;
  pending.reset();
  change_phase(LoginPhase::failed, step);
}

}  // namespace iscsi::target::login
