// Text exchanges in full feature phase (RFC 7143 §11.10, §11.11): the request cut into
// segments with the C bit, the TTT handshake in both directions, and the answer joined and
// parsed (SendTargets in a Discovery session, RFC 7143 §13.3).
#include <fmt/format.h>

#include "initiator-impl/session/engine_impl.hpp"
#include "initiator-impl/session/session_violations.hpp"

namespace iscsi::initiator::session {

namespace v = violations;

TaskId SessionEngine::Impl::send_text(text::KeyValueList pairs) {
  const TaskId id = new_task_id();
  const auto refuse = [this, id](FailureReason reason, std::string detail) {
    queue_output(TextCompleted{id, Failure{reason, std::move(detail)}, {}});
    return id;
  };
  if (!accepting()) return refuse(FailureReason::session_closing, "the session is closing");
  if (text_) return refuse(FailureReason::busy, "a Text exchange is in progress");
  if (queue_.size() >= setup_.limits.max_queued_commands) {
    return refuse(FailureReason::queue_full, "the request queue is full");
  }
  const Bytes encoded = text::encode_text(pairs);
  if (encoded.size() > setup_.limits.max_text_bytes) {
    return refuse(
        FailureReason::invalid_request,
        fmt::format("{} bytes of text, limit {}", encoded.size(), setup_.limits.max_text_bytes));
  }
  TextExchange exchange{id, new_itt(), {}, text::TextAccumulator(setup_.limits.max_text_bytes),
                        {}, false};
  // RFC 7143 §11.10.2: a text longer than the target's MaxRecvDataSegmentLength goes in
  // several requests with C=1 on all but the last.
  for (text::TextSegment& segment : text::split_text(encoded, target_mrdsl())) {
    exchange.to_send.push_back(std::move(segment));
  }
  text_ = std::move(exchange);
  text::TextSegment first = std::move(text_->to_send.front());
  text_->to_send.pop_front();
  send_text_request(first.data, first.continue_bit, pdu::kReservedTag);
  return id;
}

void SessionEngine::Impl::send_text_request(ByteView data, bool continue_bit, std::uint32_t ttt) {
  pdu::TextRequest header;
  header.final = !continue_bit;
  header.continue_ = continue_bit;
  header.itt = text_->itt;
  header.ttt = ttt;
  pdu::Pdu pdu{header, Bytes(data.begin(), data.end()), {}};
  text_->awaiting_response = true;
  enqueue(QueuedRequest{QueuedRequest::Kind::text, text_->itt, std::move(pdu)});
}

void SessionEngine::Impl::on_text_response(const pdu::Pdu& pdu) {
  const auto& header = std::get<pdu::TextResponse>(pdu.header);
  if (!text_ || text_->itt != header.itt || !text_->awaiting_response) {
    return report(v::kUnknownItt, fmt::format("Text Response for ITT 0x{:08x}, no Text "
                                              "exchange waiting",
                                              header.itt));
  }
  text_->awaiting_response = false;
  const std::string what = fmt::format("Text Response ITT 0x{:08x}", header.itt);
  const auto fail = [this](const ViolationKind& kind, std::string detail) {
    report(kind, detail);
    finish_text(Failure{FailureReason::protocol_error, std::move(detail)}, {});
  };
  if (header.final && header.continue_) return fail(v::kTextFlags, what + ": F and C both set");
  const bool more_to_come = !header.final;
  if (more_to_come && header.ttt == pdu::kReservedTag) {
    return fail(v::kTextTtt, what + ": F=0 without a Target Transfer Tag to continue with");
  }
  if (header.final && header.ttt != pdu::kReservedTag) {
    return fail(v::kTextTtt, fmt::format("{}: F=1 with TTT 0x{:08x}", what, header.ttt));
  }
  if (!text_->to_send.empty()) {
    // RFC 7143 §11.10.2: while our request is incomplete the target answers each C=1 part
    // with an empty response and a TTT to send the next part with.
    if (!more_to_come || !pdu.data.empty()) {
      return fail(v::kTextFlags, what + ": answered before the request (C=1) was complete");
    }
    text::TextSegment next = std::move(text_->to_send.front());
    text_->to_send.pop_front();
    return send_text_request(next.data, next.continue_bit, header.ttt);
  }
  auto fed = text_->accumulator.feed(pdu.data, header.continue_);
  if (!fed) return fail(v::kTextInvalid, fmt::format("{}: {}", what, fed.error().to_string()));
  if (*fed) {
    for (text::KeyValue& pair : **fed) text_->received.push_back(std::move(pair));
  }
  if (header.final) return finish_text(std::nullopt, std::move(text_->received));
  // RFC 7143 §11.11.4: more text follows; ask for it with an empty request echoing the TTT.
  send_text_request({}, false, header.ttt);
}

void SessionEngine::Impl::finish_text(std::optional<Failure> failure, text::KeyValueList pairs) {
  if (!text_) return;
  const TaskId id = text_->id;
  const std::uint32_t itt = text_->itt;
  std::erase_if(queue_, [itt](const QueuedRequest& request) {
    return request.kind == QueuedRequest::Kind::text && request.itt == itt;
  });
  text_.reset();
  queue_output(TextCompleted{id, std::move(failure), std::move(pairs)});
}

}  // namespace iscsi::initiator::session
