// Login Requests (RFC 7143 §11.12): the fields every request of one login repeats, our text
// split into C=1 segments, and the empty requests that pull the target's C=1 text.
#include <utility>

#include "initiator-impl/login/engine_impl.hpp"

namespace iscsi::initiator::login {

// RFC 7143 §11.12: ISID, TSIH, CID, ITT, CmdSN and Version-max/min are the same in every
// Login Request of one login (C030); ExpStatSN acknowledges the last response seen.
pdu::LoginRequest LoginEngine::Impl::request_header(bool transit, bool continue_,
                                                    pdu::Stage nsg) const {
  pdu::LoginRequest request;
  request.transit = transit;
  request.continue_ = continue_;
  request.csg = csg;
  // NSG is meaningful only with T=1 (RFC 7143 §11.12.3); open-iscsi repeats the CSG otherwise.
  request.nsg = transit ? nsg : csg;
  request.version_max = 0;
  request.version_min = 0;
  request.isid = setup.isid;
  request.tsih = setup.tsih;
  request.itt = setup.itt;
  request.cid = setup.cid;
  request.cmd_sn = setup.cmd_sn;
  request.exp_stat_sn = last_stat_sn ? *last_stat_sn + 1 : setup.exp_stat_sn;
  return request;
}

void LoginEngine::Impl::send_text(const text::KeyValueList& pairs, bool transit, pdu::Stage nsg,
                                  LoginStep& step) {
  auto segments = text::split_text(text::encode_text(pairs), kMaxLoginRequestSegment);
  if (segments.size() == 1) {
    send_segment(std::move(segments.front()), transit, nsg, step);
    return;
  }
  // RFC 7143 §11.12.2: T=0 on every request with C=1; the stage decision rides on the last.
  pending = PendingRequest{{}, transit, nsg};
  for (std::size_t i = 1; i < segments.size(); ++i) {
    pending->segments.push_back(std::move(segments[i]));
  }
  send_segment(std::move(segments.front()), false, nsg, step);
}

void LoginEngine::Impl::send_next_segment(LoginStep& step) {
  text::TextSegment segment = std::move(pending->segments.front());
  pending->segments.pop_front();
  if (segment.continue_bit) {
    send_segment(std::move(segment), false, pending->nsg, step);
    return;
  }
  const PendingRequest last = std::move(*pending);
  pending.reset();
  send_segment(std::move(segment), last.transit, last.nsg, step);
}

void LoginEngine::Impl::send_segment(text::TextSegment segment, bool transit, pdu::Stage nsg,
                                     LoginStep& step) {
  const bool continue_ = segment.continue_bit;
  asked_transit = transit && !continue_;
  asked_nsg = asked_transit ? nsg : csg;
  step.requests.push_back(
      pdu::Pdu{request_header(asked_transit, continue_, nsg), std::move(segment.data), {}});
}

// RFC 7143 §11.13 (C043): an empty Login Request, T=0, the same CSG, pulls the rest of a
// response the target sent with C=1. What we asked for (T, NSG) still stands.
void LoginEngine::Impl::send_pull(LoginStep& step) {
  step.requests.push_back(pdu::Pdu{request_header(false, false, csg), {}, {}});
}

}  // namespace iscsi::initiator::login
