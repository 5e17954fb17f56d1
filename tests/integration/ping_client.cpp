#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/pdu/codec.hpp"
#include "core/pdu/pdu.hpp"
#include "tests/integration/ping_protocol.hpp"

namespace iscsi::integration {

PingClient::PingClient(runtime::Network& network, runtime::TimerService& timers,
                       PingClientOptions options)
    : network_(network), timers_(timers), options_(std::move(options)) {}

PingClient::~PingClient() {
  if (deadline_timer_) timers_.cancel(*deadline_timer_);
  if (stream_) stream_->set_handler(nullptr);
}

void PingClient::start() {
  deadline_timer_ = timers_.schedule_after(options_.deadline, [this] {
    deadline_timer_.reset();
    if (done_) return;
    outcome_.failure = runtime::CloseReason::timed_out;
    if (stream_) stream_->abort();
    finish();
  });
  network_.connect({.remote = options_.server},
                   [this](std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure) {
                     connected(std::move(stream), failure);
                   });
}

void PingClient::connected(std::unique_ptr<runtime::Stream> stream, runtime::CloseReason failure) {
  if (done_) return;
  if (!stream) {
    outcome_.failure = failure;
    return finish();
  }
  stream_ = std::move(stream);
  stream_->set_handler(this);
  send_next();
}

// One ping at a time: the next NOP-Out goes out when the previous one is answered, so both
// runtimes see the same request/response order whatever the segmentation.
void PingClient::send_next() {
  if (next_ping_ == options_.sizes.size()) {
    closing_ = true;
    stream_->shutdown_write();
    return;
  }
  const auto index = static_cast<std::uint32_t>(next_ping_);
  pdu::NopOut ping;
  ping.itt = options_.first_itt + index;
  ping.ttt = pdu::kReservedTag;
  ping.cmd_sn = options_.first_cmd_sn + index;
  ping.exp_stat_sn = exp_stat_sn_;
  const Bytes wire =
      pdu::encode(pdu::Pdu{ping, ping_data(next_ping_, options_.sizes[next_ping_]), {}});
  ++next_ping_;
  stream_->write(wire);
}

void PingClient::on_data(ByteView bytes) {
  if (done_) return;
  outcome_.received.insert(outcome_.received.end(), bytes.begin(), bytes.end());
  framer_.feed(bytes);
  for (;;) {
    pdu::FrameEvent event = framer_.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) return;
    if (auto* error = std::get_if<pdu::FrameError>(&event)) {
      return fail(error->violation.to_string());
    }
    handle(std::get<pdu::DecodedPdu>(event).pdu);
    if (done_) return;
  }
}

void PingClient::handle(const pdu::Pdu& pdu) {
  const auto* echo = std::get_if<pdu::NopIn>(&pdu.header);
  if (echo == nullptr) {
    return fail(fmt::format("ping client: expected a NOP-In, got opcode 0x{:02x}",
                            static_cast<unsigned>(pdu::opcode(pdu))));
  }
  if (closing_ || outcome_.answers.size() >= next_ping_) {
    return fail(fmt::format("ping client: unsolicited NOP-In with ITT 0x{:08x}", echo->itt));
  }
  outcome_.answers.push_back({echo->itt, echo->stat_sn, echo->exp_cmd_sn, echo->max_cmd_sn,
                              pdu.data});
  // RFC 7143 §11.18: ExpStatSN acknowledges the last status received.
  exp_stat_sn_ = echo->stat_sn + 1;
  send_next();
}

void PingClient::on_closed(runtime::CloseReason reason) {
  if (done_) return;
  if (reason == runtime::CloseReason::peer_fin && closing_) {
    if (auto end = framer_.check_end_of_stream(); !end) return fail(end.error().to_string());
    outcome_.finished = true;
  } else {
    outcome_.failure = reason;
  }
  finish();
}

void PingClient::fail(std::string error) {
  outcome_.error = std::move(error);
  if (stream_) stream_->abort();
  finish();
}

void PingClient::finish() {
  if (done_) return;
  done_ = true;
  if (deadline_timer_) timers_.cancel(*deadline_timer_);
  deadline_timer_.reset();
  if (options_.on_done) options_.on_done();
}

}  // namespace iscsi::integration
