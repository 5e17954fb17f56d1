#include "core/asio/tcp_stream.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <utility>
#include <vector>

namespace iscsi::asio {
namespace {

using boost::asio::ip::tcp;
using runtime::CloseReason;

// Budget of one read turn (read_turn()).
constexpr std::size_t kMaxReadsPerTurn = 16;
constexpr std::size_t kMaxTurnBytes = 1024 * 1024;

runtime::ConnectionKey key_for(runtime::Side our_side, runtime::Endpoint local,
                               runtime::Endpoint peer) {
  // ConnectionKey::initiator is the client, the side that connected (transport_trace.hpp).
  return our_side == runtime::Side::client ? runtime::ConnectionKey{local, peer}
                                           : runtime::ConnectionKey{peer, local};
}

runtime::Endpoint endpoint_or_empty(const tcp::socket& socket, bool local) {
  boost::system::error_code ec;
  const tcp::endpoint e = local ? socket.local_endpoint(ec) : socket.remote_endpoint(ec);
  return ec ? runtime::Endpoint{} : to_endpoint(e);
}

}  // namespace

runtime::Endpoint to_endpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  const std::uint32_t ipv4 = address.is_v4() ? address.to_v4().to_uint() : 0;
  return runtime::Endpoint{ipv4, endpoint.port()};
}

tcp::endpoint to_asio(runtime::Endpoint endpoint) {
  return tcp::endpoint(boost::asio::ip::address_v4(endpoint.ipv4), endpoint.port);
}

TcpConnection::TcpConnection(tcp::socket socket, runtime::Side our_side,
                             const StreamSettings& settings, const TraceSettings& trace,
                             const runtime::Clock& clock)
    : socket_(std::move(socket)),
      settings_(settings),
      local_(endpoint_or_empty(socket_, true)),
      peer_(endpoint_or_empty(socket_, false)),
      trace_(trace, clock, key_for(our_side, local_, peer_), our_side),
      read_buffer_(std::max<std::size_t>(settings.read_chunk, 1)),
      coalesce_guard_(socket_.get_executor()) {
  boost::system::error_code ignored;
  // iSCSI PDUs are request/response; Nagle would delay small PDUs behind unacknowledged ones.
  socket_.set_option(tcp::no_delay(true), ignored);
  // Reads and sends are made directly, and must return would_block rather than wait.
  socket_.non_blocking(true, ignored);
  if (settings.socket_send_buffer > 0) {
    const auto size = static_cast<int>(std::min<std::size_t>(settings.socket_send_buffer, 1 << 30));
    socket_.set_option(boost::asio::socket_base::send_buffer_size(size), ignored);
  }
}

void TcpConnection::set_handler(runtime::StreamHandler* handler) {
  handler_ = handler;
  if (!handler_ || detached_) return;
  if (!stash_.empty()) {
    // Deliver later from the loop: handlers are never called from inside set_handler().
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->detached_ || !self->handler_ || self->stash_.empty()) return;
      Bytes pending = std::move(self->stash_);
      self->stash_.clear();
      self->handler_->on_data(pending);
      self->start_read();
    });
    return;
  }
  start_read();
}

bool TcpConnection::can_read() const {
  // A read taken while no handler was set is stashed, and reading pauses until one is.
  return !read_closed_ && !aborted_ && !reset_ && !detached_ && stash_.empty();
}

// A read turn posted to the loop: the first of a connection, and the one after a turn that
// spent its budget. It must start with a read, not a wait: the reactor is edge-triggered, and
// the readiness of bytes that are already waiting may have been reported (and consumed) before.
void TcpConnection::start_read() {
  if (reading_ || in_read_turn_ || !can_read()) return;
  reading_ = true;
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->reading_ = false;
    self->read_turn();
  });
}

// After a read that did not fill its buffers or found the socket empty. When the handler wants
// bytes for the read buffer (a PDU header, or anything), the wait is asio's own read into it:
// asio first tries that read at once and otherwise waits without re-arming the socket in the
// reactor (epoll_ctl), and the read it makes when bytes arrive starts the next turn. When the
// handler wants bytes in place, in a buffer of its own that may be gone by the time they
// arrive, the wait is a bare wait for readability, which asio re-arms (one epoll_ctl) so that
// bytes already waiting are reported.
void TcpConnection::wait_readable() {
  reading_ = true;
  coalesce_before_wait();
  const runtime::ReceiveBuffer wanted =
      handler_ != nullptr ? handler_->receive_buffer() : runtime::ReceiveBuffer{};
  if (wanted.bytes.empty()) {
    const std::size_t asked = read_buffer_request(wanted);
    socket_.async_read_some(
        boost::asio::buffer(read_buffer_.data(), asked),
        [self = shared_from_this(), asked](const boost::system::error_code& ec, std::size_t n) {
          self->reading_ = false;
          // Cancelled: the socket was closed by abort(), detach() or a reset.
          if (ec != boost::asio::error::operation_aborted) {
            self->read_turn_after(ec, n, asked);
          }
        });
    return;
  }
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       self->reading_ = false;
                       if (ec != boost::asio::error::operation_aborted) self->read_turn();
                     });
}

// How much of the read buffer one read asks for: all of it, or at most then_at_most bytes (a
// PDU header whose data segment should be read in place).
std::size_t TcpConnection::read_buffer_request(const runtime::ReceiveBuffer& wanted) const {
  const std::size_t limit = wanted.then_at_most == 0 ? read_buffer_.size() : wanted.then_at_most;
  return std::min(limit, read_buffer_.size());
}

void TcpConnection::read_turn() {
  if (in_read_turn_ || !can_read()) return;
  in_read_turn_ = true;
  continue_turn(ReadStep::more, 0);
}

// A turn whose first read asio made (wait_readable()): n bytes into the read buffer.
void TcpConnection::read_turn_after(const boost::system::error_code& ec, std::size_t n,
                                    std::size_t asked) {
  // Completions run from the loop, never inside a turn: dropping these bytes would lose them.
  assert(!in_read_turn_);
  // Closed meanwhile by abort(), detach() or a reset: the bytes go with the connection.
  if (aborted_ || reset_ || detached_) return;
  in_read_turn_ = true;
  const ReadStep step = after_read(runtime::ReceiveBuffer{}, ec, n, asked);
  send_now(/*may_notify=*/false);
  continue_turn(step, n);
}

// Reads until the socket is empty, at most kMaxReadsPerTurn times and about kMaxTurnBytes, so
// that one busy connection does not keep the loop from the others and from its timers. With
// yield_after_short_read, a read that does not fill its buffers (it has most likely emptied
// the socket) ends the turn too, with a wait that lets the loop first run what is queued (a
// target's BlockIo completions, whose answers then leave) and makes no system call for a read
// that would only find the socket empty. A spent budget ends with a posted turn, which reads
// at once.
void TcpConnection::continue_turn(ReadStep step, std::size_t bytes_this_turn) {
  for (std::size_t reads = 0; step == ReadStep::more; ++reads) {
    if (reads == kMaxReadsPerTurn || bytes_this_turn >= kMaxTurnBytes) {
      step = ReadStep::budget_spent;
      break;
    }
    step = read_once(bytes_this_turn);
    // What the handler wrote (its answers to the PDUs just read) leaves now, in one send,
    // before the next read: a peer that keeps the socket busy must not delay the answers.
    send_now(/*may_notify=*/false);
  }
  in_read_turn_ = false;
  // on_writable() only now: what the handler writes from there is sent from a posted flush.
  send_now(/*may_notify=*/true);
  if ((step == ReadStep::would_block || step == ReadStep::short_read) && can_read()) {
    wait_readable();
  } else if (step == ReadStep::budget_spent) {
    start_read();
  }
}

TcpConnection::ReadStep TcpConnection::read_once(std::size_t& bytes_this_turn) {
  if (!can_read()) return ReadStep::stopped;
  const runtime::ReceiveBuffer wanted =
      handler_ != nullptr ? handler_->receive_buffer() : runtime::ReceiveBuffer{};
  boost::system::error_code ec;
  std::size_t n = 0;
  std::size_t asked = 0;
  if (wanted.bytes.empty()) {
    asked = read_buffer_request(wanted);
    n = socket_.read_some(boost::asio::buffer(read_buffer_.data(), asked), ec);
  } else {
    // One scattered read: the rest of the PDU's data segment straight into the handler's
    // buffer, and what follows it into the read buffer.
    const std::array<boost::asio::mutable_buffer, 2> buffers{
        boost::asio::buffer(wanted.bytes.data(), wanted.bytes.size()),
        boost::asio::buffer(read_buffer_.data(),
                            std::min(wanted.then_at_most, read_buffer_.size()))};
    asked = boost::asio::buffer_size(buffers);
    n = socket_.read_some(buffers, ec);
  }
  if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
    return ReadStep::would_block;
  }
  bytes_this_turn += n;
  return after_read(wanted, ec, n, asked);
}

// Delivers what one read brought and says how the turn goes on.
TcpConnection::ReadStep TcpConnection::after_read(runtime::ReceiveBuffer wanted,
                                                  const boost::system::error_code& ec,
                                                  std::size_t n, std::size_t asked) {
  deliver_read(wanted, n);
  if (ec == boost::asio::error::eof) {
    read_closed_ = true;
    trace_.fin(trace_.peer_side());
    report_closed(CloseReason::peer_fin);
    return ReadStep::stopped;
  }
  if (ec) {
    if (!aborted_ && !detached_) on_peer_reset();
    return ReadStep::stopped;
  }
  return n < asked && settings_.yield_after_short_read ? ReadStep::short_read : ReadStep::more;
}

// Hands n bytes just read to the handler: first those read in place into wanted.bytes, then
// the rest from the read buffer.
void TcpConnection::deliver_read(runtime::ReceiveBuffer wanted, std::size_t n) {
  bytes_received_ += n;
  const std::size_t in_place = std::min(n, wanted.bytes.size());
  if (in_place > 0) {
    trace_.payload(trace_.peer_side(), ByteView(wanted.bytes.data(), in_place));
    handler_->on_received_in_place(in_place);
  }
  if (n > in_place && !aborted_ && !detached_) {
    const ByteView bytes(read_buffer_.data(), n - in_place);
    trace_.payload(trace_.peer_side(), bytes);
    deliver(bytes);
  }
}

void TcpConnection::deliver(ByteView bytes) {
  if (handler_ != nullptr) {
    handler_->on_data(bytes);
  } else {
    stash_.insert(stash_.end(), bytes.begin(), bytes.end());
  }
}

void TcpConnection::shutdown_write() {
  if (fin_requested_ || aborted_ || reset_) return;
  fin_requested_ = true;
  if (!writing_ && send_queue_.empty()) finish_write_side();
}

void TcpConnection::finish_write_side() {
  if (write_closed_) return;
  write_closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  trace_.fin(trace_.our_side());
}

void TcpConnection::abort() {
  if (aborted_ || detached_) return;
  aborted_ = true;
  stop_coalescing();
  send_queue_.clear();
  queued_bytes_ = 0;
  boost::system::error_code ignored;
  // SO_LINGER with a zero timeout makes close() send RST instead of FIN (RFC 793 abort).
  socket_.set_option(boost::asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
  if (!reset_) trace_.reset(trace_.our_side());
  boost::asio::post(socket_.get_executor(),
                    [self = shared_from_this()] { self->report_closed(CloseReason::local_abort); });
}

void TcpConnection::detach() {
  if (detached_) return;
  detached_ = true;
  handler_ = nullptr;
  stop_coalescing();
  if (aborted_) return;
  if (!reset_ && !write_closed_) trace_.fin(trace_.our_side());
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void TcpConnection::on_peer_reset() {
  if (reset_) return;
  reset_ = true;
  stop_coalescing();
  send_queue_.clear();
  queued_bytes_ = 0;
  trace_.reset(trace_.peer_side());
  boost::system::error_code ignored;
  socket_.close(ignored);
  report_closed(CloseReason::peer_reset);
}

void TcpConnection::report_closed(CloseReason reason) {
  if (detached_ || !handler_) return;
  handler_->on_closed(reason);
}

}  // namespace iscsi::asio
