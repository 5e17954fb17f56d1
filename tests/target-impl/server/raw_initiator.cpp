#include "tests/target-impl/server/raw_initiator.hpp"

#include <variant>

#include "core/pdu/codec.hpp"

namespace iscsi::target::server::testing {

RawInitiator::RawInitiator(sim::Simulator& simulator, sim::Host& host)
    : simulator_(simulator), host_(host) {}

RawInitiator::~RawInitiator() {
  if (stream_) stream_->set_handler(nullptr);
}

bool RawInitiator::connect(runtime::Endpoint target) {
  bool done = false;
  host_.connect({.remote = target},
                [this, &done](std::unique_ptr<runtime::Stream> stream, runtime::CloseReason why) {
                  done = true;
                  if (!stream) {
                    close_reason_ = why;
                    return;
                  }
                  stream_ = std::move(stream);
                  stream_->set_handler(this);
                });
  auto ran = simulator_.run_until([&done] { return done; });
  return ran.ok() && stream_ != nullptr;
}

void RawInitiator::send(const pdu::Pdu& pdu) { send_bytes(pdu::encode(pdu, digests_)); }

void RawInitiator::send_bytes(ByteView bytes) {
  if (stream_ && !closed()) stream_->write(bytes);
}

std::optional<pdu::Pdu> RawInitiator::receive() {
  auto ran = simulator_.run_until([this] { return !inbox_.empty() || closed(); });
  if (!ran.ok()) errors_.push_back(ran.error().to_string());
  if (inbox_.empty()) return std::nullopt;
  pdu::Pdu pdu = std::move(inbox_.front());
  inbox_.pop_front();
  return pdu;
}

bool RawInitiator::wait_closed() {
  auto ran = simulator_.run_until([this] { return closed(); });
  return ran.ok() && closed();
}

void RawInitiator::set_digests(const pdu::DigestOptions& digests) {
  digests_ = digests;
  framer_.set_digests(digests);
}

void RawInitiator::close() {
  if (stream_ && !closed()) stream_->shutdown_write();
}

runtime::Endpoint RawInitiator::local_endpoint() const {
  return stream_ ? stream_->local_endpoint() : runtime::Endpoint{};
}

void RawInitiator::on_data(ByteView bytes) {
  framer_.feed(bytes);
  for (;;) {
    pdu::FrameEvent event = framer_.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) return;
    if (auto* error = std::get_if<pdu::FrameError>(&event)) {
      errors_.push_back(error->violation.to_string());
      if (error->fatal()) return;
      continue;
    }
    inbox_.push_back(std::move(std::get<pdu::DecodedPdu>(event).pdu));
  }
}

void RawInitiator::on_closed(runtime::CloseReason reason) {
  if (!close_reason_) close_reason_ = reason;
}

}  // namespace iscsi::target::server::testing
