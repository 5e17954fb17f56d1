#include "initiator-impl/client/connection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <variant>

#include "core/pdu/codec.hpp"
#include "initiator-impl/client/client_violations.hpp"

namespace iscsi::initiator::client {
namespace {

// Data segments from this size on are received in place with only the next header after them
// (Connection::receive_buffer()); smaller ones are read together with whatever follows.
constexpr std::size_t kLargeDataSegment = 16 * 1024;
// Receive coalescing waits for this share of the Data-In still owed (receive_batch_bytes()).
// With 32 reads of 4 KiB in flight against tgtd, a quarter (8 answers) beat waiting for 2 or
// 4, and half did about as well; a quarter leaves the target three quarters of the queue to
// work on while we sleep. Commands held for batching (at most 3, and only while 8 or more are
// at the target) are owed too but not yet sent: the share leaves room for them.
constexpr std::uint64_t kReceiveBatchShare = 4;

pdu::DigestOptions negotiated_digests(const negotiation::ConnectionParameters& connection) {
  return {.header = connection.header_digest == negotiation::Digest::crc32c,
          .data = connection.data_digest == negotiation::Digest::crc32c};
}

// A PDU to send: what waits while the send buffer is full (other outputs never do).
bool is_send(const session::Output& output) {
  return std::holds_alternative<session::SendPdu>(output);
}

}  // namespace

std::string_view to_string(LoginEnd end) {
  switch (end) {
    case LoginEnd::succeeded:
      return "succeeded";
    case LoginEnd::failed:
      return "failed";
    case LoginEnd::redirected:
      return "redirected";
    case LoginEnd::closed:
      return "closed";
    case LoginEnd::timed_out:
      return "timed_out";
  }
  return "unknown";
}

session::SessionSetup make_session_setup(const login::LoginResult& result,
                                         const ConnectionSettings& settings) {
  session::SessionSetup setup;
  setup.session = result.session;
  setup.connection = result.connection;
  setup.isid = result.isid;
  setup.tsih = result.tsih;
  setup.cid = result.cid;
  setup.cmd_sn = result.cmd_sn;
  setup.exp_stat_sn = result.exp_stat_sn;
  setup.exp_cmd_sn = result.exp_cmd_sn;
  setup.max_cmd_sn = result.max_cmd_sn;
  setup.nop = settings.nop;
  setup.limits = settings.limits;
  return setup;
}

Connection::Connection(ConnectionContext context, std::unique_ptr<runtime::Stream> stream,
                       Callbacks callbacks)
    : context_(context),
      stream_(std::move(stream)),
      callbacks_(std::move(callbacks)),
      key_{stream_->local_endpoint(), stream_->peer_endpoint()} {}

Connection::~Connection() {
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  if (linger_timer_) context_.timers->cancel(*linger_timer_);
  stream_->set_handler(nullptr);
}

void Connection::start(login::LoginSetup setup) {
  login_ = std::make_unique<login::LoginEngine>(std::move(setup));
  login_deadline_ = now() + context_.settings.login_timeout;
  report_state("connection", "connected", "login");
  apply_login_step(login_->start());
  if (phase_ != Phase::login) return;  // a setup the engine refused: nothing was sent
  stream_->set_handler(this);
  reschedule();
}

void Connection::flush() {
  if (!engine_ || draining_) return;
  draining_ = true;
  // The list's capacity is kept between calls (output_scratch_), so a flush allocates nothing.
  std::vector<session::Output> outputs = std::move(output_scratch_);
  for (;;) {
    if (pending_.empty()) {
      engine_->take_outputs(outputs);
      if (outputs.empty()) break;
      // Applied where they are; only what a full send buffer holds back waits in pending_.
      std::size_t applied = 0;
      for (; applied < outputs.size() && !(write_blocked_ && is_send(outputs[applied]));
           ++applied) {
        apply_output(outputs[applied]);
      }
      for (; applied < outputs.size(); ++applied) pending_.push_back(std::move(outputs[applied]));
      continue;
    }
    if (write_blocked_ && is_send(pending_.front())) break;
    session::Output output = std::move(pending_.front());
    pending_.pop_front();
    apply_output(output);
  }
  outputs.clear();
  output_scratch_ = std::move(outputs);
  draining_ = false;
  // Completions came in: once the target is down to a few commands the held ones must go.
  if (!held_commands_.empty() && !held_commands_.may_hold(commands_at_target())) {
    write_held_commands();
  }
  reschedule();
  // A close inside the loop above tells the owner after the last completion was handed over.
  if (closed_deferred_) {
    const runtime::CloseReason reason = *closed_deferred_;
    closed_deferred_.reset();
    if (auto callback = callbacks_.closed) callback(reason);
  }
}

void Connection::close(std::string_view reason) {
  if (phase_ == Phase::finished) return;
  report_state("connection", "open", fmt::format("reset ({})", reason));
  stream_->set_handler(nullptr);
  stream_->abort();
  transport_ended(runtime::CloseReason::local_abort);
}

void Connection::on_data(ByteView bytes) {
  if (phase_ != Phase::login && phase_ != Phase::full_feature) return;
  if (inbox_.empty() && framer_wants_input_ && !pumping_ && !write_blocked_) {
    return decode_in_place(bytes);
  }
  if (inbox_.size() + bytes.size() > context_.settings.max_held_input_bytes) {
    report(Violation{
        violations::kInputOverrun,
        fmt::format("{} bytes received while our requests could not be written "
                    "(limit {})",
                    inbox_.size() + bytes.size(), context_.settings.max_held_input_bytes)});
    close("input overrun");
    return;
  }
  inbox_.insert(inbox_.end(), bytes.begin(), bytes.end());
  pump();
}

// A share of the Data-In our reads in flight still expect, less what of it already sits in
// our buffers (the PDU in progress). Only a hint: core/asio reads what came after a short
// while without more (tcp_stream_coalesce.cpp).
std::size_t Connection::receive_batch_bytes() {
  if (phase_ != Phase::full_feature || !engine_) return 0;
  const std::uint64_t held = framer_.buffered_bytes() + inbox_.size();
  const std::uint64_t owed = engine_->data_in_bytes_owed();
  if (owed <= held) return 0;
  return (owed - held) / kReceiveBatchShare;
}

// A Data-In's data segment goes from the socket straight into the PDU's buffer when nothing
// else is waiting to be decoded (as for decode_in_place()); with a trace sink the bytes are
// also needed in trace_log_, so they take the on_data() path. After a large segment only the
// next Basic Header Segment is read with it, so that the next segment, likely as large, is read
// in place as well; after small ones, as much as has arrived (many PDUs per read).
runtime::ReceiveBuffer Connection::receive_buffer() {
  if (phase_ != Phase::full_feature || context_.trace != nullptr || !inbox_.empty() ||
      !framer_wants_input_ || pumping_ || write_blocked_) {
    return {};
  }
  // A header without AHS (Data-In never carries one), with its digest when negotiated.
  const std::size_t header =
      pdu::kBhsLength + (framer_.options().digests.header ? pdu::kDigestLength : 0);
  runtime::ReceiveBuffer wanted{framer_.data_space()};
  if (framer_.pending_data_length() >= kLargeDataSegment) {
    wanted.then_at_most = header;
  } else if (framer_.pending_data_length() == 0 && last_data_length_ >= kLargeDataSegment &&
             framer_.buffered_bytes() < header) {
    // Between large segments: only the rest of the next header, so that its segment is read
    // in place too instead of arriving with it and being copied (one more read per PDU at
    // most, as libiscsi always does).
    wanted.then_at_most = header - framer_.buffered_bytes();
  }
  return wanted;
}

void Connection::on_received_in_place(std::size_t count) {
  if (phase_ != Phase::full_feature) return;
  framer_.commit_data(count);
  framer_wants_input_ = false;
  pump();
}

void Connection::on_writable() {
  if (phase_ == Phase::finished) return;
  write_blocked_ = false;
  flush();
  pump();
}

void Connection::on_closed(runtime::CloseReason reason) {
  if (phase_ == Phase::finished) return;
  if (reason == runtime::CloseReason::peer_fin && phase_ != Phase::closing && !framer_.failed()) {
    if (auto end = framer_.check_end_of_stream(); !end.ok()) {
      report(Violation{violations::kTruncatedStream, end.error().detail});
    }
  }
  stream_->set_handler(nullptr);
  transport_ended(reason);
}

// Decodes PDUs from the inbox until it is empty, the connection leaves login and full feature
// phase, or the send buffer is full.
void Connection::pump() {
  if (pumping_) return;
  pumping_ = true;
  while ((phase_ == Phase::login || phase_ == Phase::full_feature) && !write_blocked_) {
    if (framer_wants_input_ && !take_input()) break;
    pdu::FrameEvent event = framer_.next();
    if (std::holds_alternative<pdu::NeedMore>(event)) {
      framer_wants_input_ = true;
    } else if (auto* decoded = std::get_if<pdu::DecodedPdu>(&event)) {
      handle_pdu(*decoded);
    } else {
      handle_frame_error(std::get<pdu::FrameError>(event));
    }
  }
  pumping_ = false;
  if (phase_ != Phase::finished) reschedule();
}

// The common case: nothing is waiting, so the framer reads the received bytes where they are
// instead of a copy in the inbox. If decoding stops inside them (a full send buffer, the end
// of the login or of the connection), the framer keeps a copy of the unread tail, at most one
// received chunk, because `bytes` is only valid during this call.
void Connection::decode_in_place(ByteView bytes) {
  if (context_.trace != nullptr) trace_log_.insert(trace_log_.end(), bytes.begin(), bytes.end());
  framer_.feed(bytes);
  framer_wants_input_ = bytes.empty();
  pump();
  if (!framer_wants_input_) framer_.retain_input();
}

// The framer reads `feeding_` in place until it answers NeedMore.
bool Connection::take_input() {
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

void Connection::handle_pdu(pdu::DecodedPdu& decoded) {
  trace_received(decoded.pdu);
  last_data_length_ = decoded.pdu.data.size();
  for (const Violation& observation : decoded.observations) report(observation);
  if (phase_ == Phase::login) {
    apply_login_step(login_->on_pdu(decoded.pdu));
  } else if (phase_ == Phase::full_feature) {
    engine_->on_pdu(now(), std::move(decoded.pdu));
    flush();
  }
}

void Connection::handle_frame_error(const pdu::FrameError& error) {
  const std::uint64_t consumed = framer_.bytes_consumed();
  if (consumed > trace_base_) {
    const std::uint64_t drop = std::min<std::uint64_t>(consumed - trace_base_, trace_log_.size());
    trace_log_.erase(trace_log_.begin(), trace_log_.begin() + static_cast<std::ptrdiff_t>(drop));
    trace_base_ = consumed;
  }
  if (phase_ == Phase::login) {
    apply_login_step(login_->on_frame_error(error));
  } else if (phase_ == Phase::full_feature) {
    engine_->on_frame_error(now(), error);
    flush();
  }
  // After a fatal framing error nothing more can be read.
  if (error.fatal() && phase_ == Phase::full_feature) close("fatal framing error");
}

void Connection::trace_received(const pdu::Pdu& pdu) {
  if (context_.trace == nullptr) return;
  const std::uint64_t end = framer_.bytes_consumed();
  const std::size_t length = pdu::encoded_length(pdu, framer_.options().digests);
  const std::uint64_t start = end >= length ? end - length : 0;
  if (start >= trace_base_ && end <= trace_base_ + trace_log_.size()) {
    const ByteView wire(trace_log_.data() + (start - trace_base_), length);
    context_.trace->on_pdu(now(), key_, runtime::Direction::target_to_initiator, wire);
  }
  const std::uint64_t drop = std::min<std::uint64_t>(end - trace_base_, trace_log_.size());
  trace_log_.erase(trace_log_.begin(), trace_log_.begin() + static_cast<std::ptrdiff_t>(drop));
  trace_base_ += drop;
}

void Connection::apply_login_step(login::LoginStep step) {
  for (const login::StateChange& change : step.states) {
    report_state(change.machine, change.from, change.to);
  }
  for (const Violation& violation : step.violations) report(violation);
  for (const pdu::Pdu& request : step.requests) send(request);
  switch (step.next) {
    case login::LoginStep::Next::continue_login:
      break;
    case login::LoginStep::Next::full_feature:
      enter_full_feature();
      break;
    case login::LoginStep::Next::failed:
      login_failure_ = login_->failure();
      end_login(LoginEnd::failed);
      break;
    case login::LoginStep::Next::redirected:
      redirection_ = login_->redirect();
      end_login(LoginEnd::redirected);
      break;
  }
}

// A login that ends without full feature phase ends the connection too.
void Connection::end_login(LoginEnd end) {
  if (phase_ != Phase::login) return;
  phase_ = Phase::finished;
  report_state("connection", "login", fmt::format("closed (login {})", to_string(end)));
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  deadline_timer_.reset();
  armed_deadline_.reset();
  stream_->set_handler(nullptr);
  stream_->abort();
  // A copy: the owner may replace the callbacks from inside this one.
  if (auto callback = callbacks_.login_done) callback(end);
}

void Connection::enter_full_feature() {
  if (!login_->succeeded()) {
    end_login(LoginEnd::failed);
    return;
  }
  login_result_ = *login_->succeeded();
  // RFC 7143 §13.1, §13.12: from the PDU after the Login Final-Response on.
  const pdu::DigestOptions digests = negotiated_digests(login_result_->connection);
  framer_.set_digests(digests);
  framer_.set_max_data_segment_length(
      login_result_->connection.initiator_max_recv_data_segment_length);
  tx_digests_ = digests;
  engine_ = std::make_unique<session::SessionEngine>(
      make_session_setup(*login_result_, context_.settings), now());
  login_.reset();
  phase_ = Phase::full_feature;
  report_state("connection", "login", "full_feature");
  if (auto callback = callbacks_.login_done) callback(LoginEnd::succeeded);
  flush();
}

void Connection::apply_output(session::Output& output) {
  if (auto* send_pdu = std::get_if<session::SendPdu>(&output)) {
    if (phase_ == Phase::full_feature) send(send_pdu->pdu);
    return;
  }
  if (auto* close_request = std::get_if<session::CloseConnection>(&output)) {
    report_state("connection", "full_feature", fmt::format("closing ({})", close_request->reason));
    if (close_request->graceful) {
      begin_graceful_close();
    } else {
      close(close_request->reason);
    }
    return;
  }
  if (auto* violation = std::get_if<session::ReportViolation>(&output)) {
    report(violation->violation);
  }
  if (callbacks_.session_output) callbacks_.session_output(output);
}

void Connection::send(const pdu::Pdu& pdu) {
  if (phase_ == Phase::finished) return;
  if (auto encodable = pdu::check_encodable(pdu); !encodable.ok()) {
    report(encodable.error());
    close("a PDU could not be encoded");
    return;
  }
  tx_buffer_.clear();
  pdu::encode_to(pdu, tx_digests_, tx_buffer_);
  if (context_.trace != nullptr) {
    context_.trace->on_pdu(now(), key_, runtime::Direction::initiator_to_target, tx_buffer_);
  }
  // Only commands without immediate data are held: a write's data would be copied once more.
  // This command counts as sent already; the others at the target decide.
  if (std::holds_alternative<pdu::ScsiCommand>(pdu.header) && pdu.data.empty() &&
      held_commands_.may_hold(std::max<std::size_t>(commands_at_target(), 1) - 1)) {
    held_commands_.add(tx_buffer_);
    if (held_commands_.full()) write_held_commands();
    return;
  }
  // Whatever was held goes first: PDUs leave in the order the engine made them (CmdSN order).
  write_held_commands();
  write_bytes(tx_buffer_);
}

std::size_t Connection::commands_at_target() const {
  // The engine counts a command as sent when it hands it out, held or not.
  const std::size_t sent = engine_ ? engine_->outstanding_tasks() : 0;
  return sent - std::min(sent, held_commands_.count());
}

void Connection::write_held_commands() {
  if (held_commands_.empty()) return;
  write_bytes(held_commands_.bytes());
  held_commands_.clear();
}

void Connection::write_bytes(ByteView wire) {
  if (!stream_->write(wire)) write_blocked_ = true;
}

void Connection::send_raw(ByteView wire) {
  if (phase_ == Phase::finished) return;
  if (context_.trace != nullptr) {
    context_.trace->on_pdu(now(), key_, runtime::Direction::initiator_to_target, wire);
  }
  write_held_commands();
  write_bytes(wire);
}

void Connection::report(const Violation& violation) {
  if (violations_.size() < kMaxRecordedViolations) violations_.push_back(violation);
  if (context_.trace != nullptr) context_.trace->on_violation(now(), key_, violation);
}

void Connection::report_state(std::string_view machine, std::string_view from,
                              std::string_view to) {
  if (context_.trace != nullptr) context_.trace->on_state(now(), key_, machine, from, to);
}

// Our FIN after the Logout Request was answered; the target's FIN (or the linger timer) ends it.
void Connection::begin_graceful_close() {
  if (phase_ != Phase::full_feature) return;
  phase_ = Phase::closing;
  stream_->shutdown_write();
  reschedule();
  linger_timer_ = context_.timers->schedule_after(context_.settings.close_linger, [this] {
    linger_timer_.reset();
    close("no FIN from the target after logout");
  });
}

void Connection::transport_ended(runtime::CloseReason reason) {
  if (phase_ == Phase::login) {
    close_reason_ = reason;
    if (reason != runtime::CloseReason::local_abort) {
      report(Violation{violations::kClosedDuringLogin,
                       fmt::format("the connection ended ({}) before the Login Final-Response",
                                   runtime::to_string(reason))});
    }
    end_login(LoginEnd::closed);
    return;
  }
  finish(reason);
}

void Connection::finish(runtime::CloseReason reason) {
  if (phase_ == Phase::finished) return;
  close_reason_ = reason;
  if (engine_) {
    // Outputs now only reach the owner (completions with connection_lost).
    phase_ = Phase::closing;
    engine_->on_transport_closed(now());
    flush();
  }
  phase_ = Phase::finished;
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  if (linger_timer_) context_.timers->cancel(*linger_timer_);
  deadline_timer_.reset();
  armed_deadline_.reset();
  linger_timer_.reset();
  report_state("connection", "open", fmt::format("closed ({})", runtime::to_string(reason)));
  if (draining_) {
    closed_deferred_ = reason;
    return;
  }
  if (auto callback = callbacks_.closed) callback(reason);
}

void Connection::reschedule() {
  std::optional<runtime::TimePoint> wanted;
  if (phase_ == Phase::login) {
    wanted = login_deadline_;
  } else if (phase_ == Phase::full_feature && engine_) {
    wanted = engine_->next_deadline();
  }
  // A timer already armed for no later than the wanted deadline stays: firing early does no
  // harm (the engine finds nothing due and the timer is armed again for the later deadline),
  // and the NOP-Out interval restarts with every PDU received, which would otherwise re-arm
  // the timer once per PDU.
  if (wanted && deadline_timer_ && armed_deadline_ && *armed_deadline_ <= *wanted) return;
  if (wanted == armed_deadline_ && deadline_timer_.has_value() == wanted.has_value()) return;
  if (deadline_timer_) context_.timers->cancel(*deadline_timer_);
  deadline_timer_.reset();
  armed_deadline_ = wanted;
  if (wanted) {
    deadline_timer_ = context_.timers->schedule_at(*wanted, [this] { on_deadline(); });
  }
}

void Connection::on_deadline() {
  deadline_timer_.reset();
  armed_deadline_.reset();
  if (phase_ == Phase::login && now() >= login_deadline_) {
    report(Violation{violations::kLoginTimeout,
                     fmt::format("the login did not reach full feature phase within {} ms",
                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                     context_.settings.login_timeout)
                                     .count())});
    end_login(LoginEnd::timed_out);
    return;
  }
  if (phase_ == Phase::full_feature && engine_) {
    engine_->on_deadline(now());
    flush();
    return;
  }
  reschedule();
}

}  // namespace iscsi::initiator::client
