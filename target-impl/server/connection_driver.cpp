#include "target-impl/server/connection_driver.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/pdu/codec.hpp"
#include "target-impl/server/server_violations.hpp"

namespace iscsi::target::server {
namespace {

std::string_view phase_name(ConnectionDriver::Phase phase) {
  switch (phase) {
    case ConnectionDriver::Phase::login:
      return "login";
    case ConnectionDriver::Phase::full_feature:
      return "full_feature";
    case ConnectionDriver::Phase::closing:
      return "closing";
    case ConnectionDriver::Phase::finished:
      return "finished";
  }
  return "unknown";
}

pdu::DigestOptions negotiated_digests(const negotiation::ConnectionParameters& connection) {
  return {.header = connection.header_digest == negotiation::Digest::crc32c,
          .data = connection.data_digest == negotiation::Digest::crc32c};
}

}  // namespace

ConnectionDriver::ConnectionDriver(ConnectionHost& host, DriverContext context,
                                   std::unique_ptr<runtime::Stream> stream)
    : host_(host),
      context_(context),
      stream_(std::move(stream)),
      key_{stream_->peer_endpoint(), stream_->local_endpoint()} {}

ConnectionDriver::~ConnectionDriver() {
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  if (linger_timer_) context_.timers->cancel(*linger_timer_);
  stream_->set_handler(nullptr);
}

void ConnectionDriver::start() {
  login_ = std::make_unique<login::LoginEngine>(host_.login_setup(*stream_, login_config_));
  login_deadline_ = now() + context_.settings.login_timeout;
  reschedule();
  // Last: a runtime may deliver bytes it already holds from inside set_handler().
  stream_->set_handler(this);
}

void ConnectionDriver::on_data(ByteView bytes) {
  if (phase_ != Phase::login && phase_ != Phase::full_feature) return;
  if (inbox_.size() + bytes.size() > context_.settings.max_held_input_bytes) {
    report(Violation{violations::kInputOverrun,
                     fmt::format("{} bytes received while our responses were not being read "
                                 "(limit {})",
                                 inbox_.size() + bytes.size(),
                                 context_.settings.max_held_input_bytes)});
    abort_now();
    return;
  }
  inbox_.insert(inbox_.end(), bytes.begin(), bytes.end());
  pump();
}

void ConnectionDriver::on_writable() {
  if (phase_ == Phase::finished) return;
  write_blocked_ = false;
  drain_session();
  pump();
}

void ConnectionDriver::on_closed(runtime::CloseReason reason) {
  if (phase_ == Phase::finished) return;
  if (reason == runtime::CloseReason::peer_fin && phase_ != Phase::closing && !framer_.failed()) {
    if (auto end = framer_.check_end_of_stream(); !end.ok()) {
      report(Violation{violations::kTruncatedStream, end.error().detail});
    }
  }
  if (session_) {
    session_->on_transport_closed(now());
    phase_ = Phase::closing;  // outputs now only reach the trace
    drain_session();
  }
  finish();
}

// Decodes PDUs from the inbox until it is empty, the connection leaves login and full feature
// phase, or the send buffer is full.
void ConnectionDriver::pump() {
  if (pumping_) return;
  pumping_ = true;
  while ((phase_ == Phase::login || phase_ == Phase::full_feature) && !write_blocked_) {
    if (framer_wants_input_ && !take_input()) break;
    pdu::FrameEvent event = framer_.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) {
      framer_wants_input_ = true;
    } else if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
      handle_pdu(std::move(*decoded));
    } else {
      handle_frame_error(std::get<pdu::FrameError>(event));
    }
  }
  pumping_ = false;
  reschedule();
}

// The framer reads `feeding_` in place until it answers NeedMore, so the buffer only changes
// between two such answers.
bool ConnectionDriver::take_input() {
  if (inbox_.empty()) return false;
  feeding_.swap(inbox_);
  inbox_.clear();
  if (context_.trace != nullptr) {
    trace_log_.insert(trace_log_.end(), feeding_.begin(), feeding_.end());
  }
  framer_.feed(feeding_);
  framer_wants_input_ = false;
  return true;
}

void ConnectionDriver::handle_pdu(pdu::DecodedPdu decoded) {
  trace_received(decoded.pdu);
  for (const Violation& observation : decoded.observations) report(observation);
  if (phase_ == Phase::login) {
    apply_login_step(login_->on_pdu(decoded.pdu));
  } else if (phase_ == Phase::full_feature) {
    session_->on_pdu(now(), std::move(decoded.pdu));
    drain_session();
  }
}

void ConnectionDriver::handle_frame_error(const pdu::FrameError& error) {
  // The engines report the violation with their reaction (Reject, Login status, close).
  const std::uint64_t consumed = framer_.bytes_consumed();
  if (consumed > trace_base_) {
    trace_log_.erase(trace_log_.begin(),
                     trace_log_.begin() + static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(
                                              consumed - trace_base_, trace_log_.size())));
    trace_base_ = consumed;
  }
  if (phase_ == Phase::login) {
    apply_login_step(login_->on_frame_error(error));
  } else if (phase_ == Phase::full_feature) {
    session_->on_frame_error(now(), error);
    drain_session();
  }
  // After a fatal framing error the framer stays failed: nothing more can be read.
  if (error.fatal() && (phase_ == Phase::login || phase_ == Phase::full_feature)) abort_now();
}

void ConnectionDriver::trace_received(const pdu::Pdu& pdu) {
  if (context_.trace == nullptr) return;
  const std::uint64_t end = framer_.bytes_consumed();
  // The digests the framer applied to this PDU: they change only between PDUs.
  const std::size_t length = pdu::encoded_length(pdu, framer_.options().digests);
  const std::uint64_t start = end >= length ? end - length : 0;
  if (start >= trace_base_ && end <= trace_base_ + trace_log_.size()) {
    const ByteView wire(trace_log_.data() + (start - trace_base_), length);
    context_.trace->on_pdu(now(), key_, runtime::Direction::initiator_to_target, wire);
  }
  const std::uint64_t drop = std::min<std::uint64_t>(end - trace_base_, trace_log_.size());
  trace_log_.erase(trace_log_.begin(), trace_log_.begin() + static_cast<std::ptrdiff_t>(drop));
  trace_base_ += drop;
}

void ConnectionDriver::apply_login_step(const login::LoginStep& step) {
  for (const login::StateChange& change : step.states) {
    report_state(change.machine, change.from, change.to);
  }
  for (const Violation& violation : step.violations) report(violation);
  for (const pdu::Pdu& response : step.responses) send(response);
  switch (step.next) {
    case login::LoginStep::Next::continue_login:
      break;
    case login::LoginStep::Next::full_feature:
      enter_full_feature();
      break;
    case login::LoginStep::Next::close:
      begin_graceful_close();
      break;
  }
}

void ConnectionDriver::enter_full_feature() {
  if (!login_->succeeded()) {
    abort_now();
    return;
  }
  login_result_ = *login_->succeeded();
  std::optional<session::SessionSetup> setup = host_.session_started(*this, *login_result_);
  if (!setup) {
    abort_now();
    return;
  }
  nexus_ = setup->nexus;
  // RFC 7143 §13.1, §13.12: from the PDU after the Login Final-Response on.
  const pdu::DigestOptions digests = negotiated_digests(login_result_->connection);
  framer_.set_digests(digests);
  framer_.set_max_data_segment_length(
      login_result_->connection.target_max_recv_data_segment_length);
  tx_digests_ = digests;
  session_ = std::make_unique<session::SessionEngine>(std::move(*setup), now());
  session_->set_notify([this] {
    drain_session();
    reschedule();
  });
  login_.reset();
  login_config_.reset();
  phase_ = Phase::full_feature;
  drain_session();
}

// One take_outputs() hands out at most about a MiB of Data-In, so take until the engine has
// nothing left or the stream pushes back: a stream that sends at once (core/asio) may never
// push back, and nothing else would come back for the rest of a large read.
void ConnectionDriver::drain_session() {
  while (session_ && phase_ != Phase::finished && !write_blocked_) {
    std::vector<session::Output> outputs = session_->take_outputs();
    if (outputs.empty()) return;
    for (session::Output& output : outputs) {
      if (phase_ == Phase::finished) return;
      apply_output(output);
    }
  }
}

void ConnectionDriver::apply_output(session::Output& output) {
  std::visit(
      [this](auto& item) {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, session::SendPdu>) {
          if (phase_ == Phase::full_feature) send(item.pdu, item.data);
        } else if constexpr (std::is_same_v<T, session::ReportViolation>) {
          report(item.violation);
        } else if constexpr (std::is_same_v<T, session::ReportState>) {
          report_state(item.machine, item.from, item.to);
        } else if constexpr (std::is_same_v<T, session::TaskManagementApplied>) {
          host_.task_management_applied(*this, item);
        } else {
          static_assert(std::is_same_v<T, session::CloseConnection>);
          if (item.graceful) {
            begin_graceful_close();
          } else {
            abort_now();
          }
        }
      },
      output);
}

void ConnectionDriver::send(const pdu::Pdu& pdu, const session::SharedData& data) {
  if (phase_ == Phase::finished) return;
  if (auto encodable = pdu::check_encodable(pdu); !encodable.ok()) {
    report(encodable.error());
    abort_now();
    return;
  }
  if (!data.empty()) {
    send_shared(pdu, data);
    return;
  }
  tx_buffer_.clear();
  pdu::encode_to(pdu, tx_digests_, tx_buffer_);
  if (context_.trace != nullptr) {
    context_.trace->on_pdu(now(), key_, runtime::Direction::target_to_initiator, tx_buffer_);
  }
  if (!stream_->write(tx_buffer_)) write_blocked_ = true;
}

// The engine cuts Data-In segments to the initiator's MaxRecvDataSegmentLength, which RFC 7143
// §13.12 caps at 2^24-1, so the segment always fits DataSegmentLength.
void ConnectionDriver::send_shared(const pdu::Pdu& pdu, const session::SharedData& data) {
  const ByteView bytes = data.view();
  tx_buffer_.clear();
  pdu::encode_header_to(pdu, bytes.size(), tx_digests_, tx_buffer_);
  if (context_.trace != nullptr) {
    tx_buffer_.insert(tx_buffer_.end(), bytes.begin(), bytes.end());
    pdu::encode_trailer_to(bytes, tx_digests_, tx_buffer_);
    context_.trace->on_pdu(now(), key_, runtime::Direction::target_to_initiator, tx_buffer_);
    if (!stream_->write(tx_buffer_)) write_blocked_ = true;
    return;
  }
  tx_trailer_.clear();
  pdu::encode_trailer_to(bytes, tx_digests_, tx_trailer_);
  const runtime::WriteBuffer pieces[] = {
      {tx_buffer_, nullptr}, {bytes, data.buffer}, {tx_trailer_, nullptr}};
  if (!stream_->write_gather(pieces)) write_blocked_ = true;
}

void ConnectionDriver::report(const Violation& violation) {
  if (context_.trace != nullptr) context_.trace->on_violation(now(), key_, violation);
}

void ConnectionDriver::report_state(std::string_view machine, std::string_view from,
                                    std::string_view to) {
  if (context_.trace != nullptr) context_.trace->on_state(now(), key_, machine, from, to);
}

void ConnectionDriver::close_session(std::string_view reason) {
  if (phase_ == Phase::finished) return;
  report_state("connection", phase_name(phase_), fmt::format("reset ({})", reason));
  abort_now();
}

void ConnectionDriver::abort_tasks(std::optional<pdu::Lun> lun) {
  if (!session_ || phase_ != Phase::full_feature) return;
  session_->abort_tasks(lun);
  drain_session();
  reschedule();
}

void ConnectionDriver::request_logout(std::uint16_t time_to_logout_s) {
  if (!session_ || phase_ != Phase::full_feature) return;
  session_->request_logout(now(), time_to_logout_s);
  drain_session();
  reschedule();
}

// Our FIN after the last response; the initiator's FIN (or the linger timer) ends it.
void ConnectionDriver::begin_graceful_close() {
  if (phase_ == Phase::closing || phase_ == Phase::finished) return;
  phase_ = Phase::closing;
  stream_->shutdown_write();
  reschedule();
  linger_timer_ = context_.timers->schedule_after(context_.settings.close_linger, [this] {
    linger_timer_.reset();
    abort_now();
  });
}

void ConnectionDriver::abort_now() {
  if (phase_ == Phase::finished) return;
  stream_->set_handler(nullptr);
  stream_->abort();
  if (session_) {
    session_->on_transport_closed(now());
    phase_ = Phase::closing;
    drain_session();
  }
  finish();
}

void ConnectionDriver::finish() {
  if (phase_ == Phase::finished) return;
  phase_ = Phase::finished;
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  if (linger_timer_) context_.timers->cancel(*linger_timer_);
  deadline_timer_.reset();
  armed_deadline_.reset();
  linger_timer_.reset();
  stream_->set_handler(nullptr);
  host_.connection_finished(*this);
}

void ConnectionDriver::reschedule() {
  std::optional<runtime::TimePoint> wanted;
  if (phase_ == Phase::login) {
    wanted = login_deadline_;
  } else if (phase_ == Phase::full_feature && session_) {
    wanted = session_->next_deadline();
  }
  if (wanted == armed_deadline_ && (deadline_timer_.has_value() == wanted.has_value())) return;
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  deadline_timer_.reset();
  armed_deadline_ = wanted;
  if (wanted) {
    deadline_timer_ = context_.timers->schedule_at(*wanted, [this] { on_deadline(); });
  }
}

void ConnectionDriver::on_deadline() {
  deadline_timer_.reset();
  armed_deadline_.reset();
  if (phase_ == Phase::login) {
    if (now() >= login_deadline_) {
      report(Violation{violations::kLoginTimeout,
                       fmt::format("the login did not reach full feature phase within {} ms",
                                   std::chrono::duration_cast<std::chrono::milliseconds>(
                                       context_.settings.login_timeout)
                                       .count())});
      abort_now();
      return;
    }
  } else if (phase_ == Phase::full_feature && session_) {
    session_->on_deadline(now());
    drain_session();
  }
  reschedule();
}

}  // namespace iscsi::target::server
