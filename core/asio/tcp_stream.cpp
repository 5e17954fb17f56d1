#include "core/asio/tcp_stream.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace iscsi::asio {
namespace {

using boost::asio::ip::tcp;
using runtime::CloseReason;

// Limits of one gathered send (start_write()).
constexpr std::size_t kMaxGatherBuffers = 64;
constexpr std::size_t kMaxGatherBytes = 1024 * 1024;
// Copied writes are appended to the last queued copy buffer up to this size.
constexpr std::size_t kCoalesceBytes = 64 * 1024;
// Queued bytes from which a send starts at once instead of at the end of the loop's turn, so
// that large Data-In starts moving while later reads are still being served.
constexpr std::size_t kEagerSendBytes = 128 * 1024;
// Sent copy buffers kept for reuse: how many, and the largest capacity worth keeping.
constexpr std::size_t kMaxSpareBuffers = 8;
constexpr std::size_t kMaxSpareCapacity = 256 * 1024;

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
      read_buffer_(std::max<std::size_t>(settings.read_chunk, 1)) {
  boost::system::error_code ignored;
  // iSCSI PDUs are request/response; Nagle would delay small PDUs behind unacknowledged ones.
  socket_.set_option(tcp::no_delay(true), ignored);
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

void TcpConnection::start_read() {
  if (reading_ || read_closed_ || aborted_ || reset_ || detached_ || !stash_.empty()) return;
  reading_ = true;
  runtime::ReceiveBuffer wanted =
      handler_ != nullptr ? handler_->receive_buffer() : runtime::ReceiveBuffer{};
  direct_ = wanted.bytes;
  direct_handler_ = handler_;
  auto done = [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
    self->on_read(ec, n);
  };
  if (direct_.empty()) {
    // At most then_at_most bytes (a PDU header whose data segment should be read in place).
    const std::size_t limit = wanted.then_at_most == 0 ? read_buffer_.size() : wanted.then_at_most;
    socket_.async_read_some(
        boost::asio::buffer(read_buffer_.data(), std::min(limit, read_buffer_.size())),
        std::move(done));
    return;
  }
  // One scattered read: the rest of the PDU's data segment straight into the handler's
  // buffer, and what follows it into the read buffer.
  const std::array<boost::asio::mutable_buffer, 2> buffers{
      boost::asio::buffer(direct_.data(), direct_.size()),
      boost::asio::buffer(read_buffer_.data(), std::min(wanted.then_at_most, read_buffer_.size()))};
  socket_.async_read_some(buffers, std::move(done));
}

void TcpConnection::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (aborted_ || detached_) return;
  const std::span<std::uint8_t> direct = std::exchange(direct_, {});
  const std::size_t in_place = std::min(n, direct.size());
  if (in_place > 0) {
    trace_.payload(trace_.peer_side(), ByteView(direct.data(), in_place));
    if (handler_ != nullptr && handler_ == direct_handler_) {
      handler_->on_received_in_place(in_place);
    } else {
      deliver(ByteView(direct.data(), in_place));  // the handler changed meanwhile
    }
  }
  if (n > in_place && !aborted_ && !detached_) {
    const ByteView bytes(read_buffer_.data(), n - in_place);
    trace_.payload(trace_.peer_side(), bytes);
    deliver(bytes);
  }
  if (ec == boost::asio::error::eof) {
    read_closed_ = true;
    trace_.fin(trace_.peer_side());
    report_closed(CloseReason::peer_fin);
    return;
  }
  if (ec == boost::asio::error::operation_aborted) return;
  if (ec) {
    on_peer_reset();
    return;
  }
  start_read();
}

void TcpConnection::deliver(ByteView bytes) {
  if (handler_ != nullptr) {
    handler_->on_data(bytes);
  } else {
    stash_.insert(stash_.end(), bytes.begin(), bytes.end());
  }
}

bool TcpConnection::write(ByteView bytes) {
  // Writing after shutdown_write(), abort() or a reset is a caller error or a lost race with
  // the peer; the bytes cannot be sent, and on_closed() tells the handler why.
  if (fin_requested_ || aborted_ || reset_ || detached_) return true;
  append_copy(bytes);
  return after_append();
}

bool TcpConnection::write_gather(std::span<const runtime::WriteBuffer> buffers) {
  if (fin_requested_ || aborted_ || reset_ || detached_) return true;
  for (const runtime::WriteBuffer& buffer : buffers) {
    if (buffer.owner) {
      append_shared(buffer.bytes, buffer.owner);
    } else {
      append_copy(buffer.bytes);
    }
  }
  return after_append();
}

void TcpConnection::append_copy(ByteView bytes) {
  if (bytes.empty()) return;
  queued_bytes_ += bytes.size();
  // Only a chunk the current send does not cover may grow: growing may move its bytes.
  if (send_queue_.size() > in_flight_) {
    SendChunk& last = send_queue_.back();
    if (!last.owner && last.copy.size() + bytes.size() <= kCoalesceBytes) {
      last.copy.insert(last.copy.end(), bytes.begin(), bytes.end());
      return;
    }
  }
  SendChunk chunk;
  if (!spare_buffers_.empty()) {
    chunk.copy = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
  }
  chunk.copy.assign(bytes.begin(), bytes.end());
  send_queue_.push_back(std::move(chunk));
}

void TcpConnection::append_shared(ByteView bytes, std::shared_ptr<const void> owner) {
  if (bytes.empty()) return;
  queued_bytes_ += bytes.size();
  SendChunk chunk;
  chunk.owner = std::move(owner);
  chunk.shared = bytes;
  send_queue_.push_back(std::move(chunk));
}

bool TcpConnection::after_append() {
  schedule_flush();
  const bool below_limit = queued_bytes_ <= settings_.send_buffer_limit;
  if (!below_limit) want_writable_ = true;
  return below_limit;
}

void TcpConnection::schedule_flush() {
  if (writing_ || send_queue_.empty() || aborted_ || reset_) return;
  if (queued_bytes_ >= kEagerSendBytes) {
    start_write();  // a posted flush, if any, then finds the send running and does nothing
    return;
  }
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->start_write();
  });
}

void TcpConnection::start_write() {
  if (writing_ || send_queue_.empty() || aborted_ || reset_ || detached_) return;
  writing_ = true;
  // Gather what is queued into one send, up to kMaxGatherBuffers and kMaxGatherBytes, so a
  // backlog of PDUs costs one system call rather than one each.
  std::vector<boost::asio::const_buffer> buffers;
  buffers.reserve(std::min(send_queue_.size(), kMaxGatherBuffers));
  std::size_t bytes = 0;
  for (const SendChunk& chunk : send_queue_) {
    if (buffers.size() == kMaxGatherBuffers || (bytes > 0 && bytes >= kMaxGatherBytes)) break;
    const ByteView view = chunk.bytes();
    buffers.emplace_back(view.data(), view.size());
    bytes += view.size();
  }
  in_flight_ = buffers.size();
  boost::asio::async_write(socket_, buffers,
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t n) { self->on_write(ec, n); });
}

void TcpConnection::on_write(const boost::system::error_code& ec, std::size_t /*n*/) {
  writing_ = false;
  if (aborted_ || reset_) return;
  if (ec) {
    if (ec != boost::asio::error::operation_aborted) on_peer_reset();
    return;
  }
  // async_write completes only when every gathered buffer was sent in full.
  for (std::size_t i = 0; i < in_flight_; ++i) {
    SendChunk& chunk = send_queue_.front();
    trace_.payload(trace_.our_side(), chunk.bytes());
    queued_bytes_ -= chunk.bytes().size();
    if (!chunk.owner && spare_buffers_.size() < kMaxSpareBuffers &&
        chunk.copy.capacity() <= kMaxSpareCapacity) {
      chunk.copy.clear();
      spare_buffers_.push_back(std::move(chunk.copy));
    }
    send_queue_.pop_front();
  }
  in_flight_ = 0;
  if (want_writable_ && queued_bytes_ <= settings_.send_buffer_limit && !detached_) {
    want_writable_ = false;
    if (handler_) handler_->on_writable();
  }
  if (aborted_ || reset_) return;
  if (!send_queue_.empty()) {
    start_write();
  } else if (fin_requested_) {
    finish_write_side();
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
  if (aborted_) return;
  if (!reset_ && !write_closed_) trace_.fin(trace_.our_side());
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void TcpConnection::on_peer_reset() {
  if (reset_) return;
  reset_ = true;
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
