#include "core/asio/tcp_stream.hpp"

#include <algorithm>
#include <vector>

namespace iscsi::asio {
namespace {

using boost::asio::ip::tcp;
using runtime::CloseReason;

// Limits of one gathered send (start_write()).
constexpr std::size_t kMaxGatherBuffers = 64;
constexpr std::size_t kMaxGatherBytes = 1024 * 1024;

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
  socket_.async_read_some(
      boost::asio::buffer(read_buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_read(ec, n);
      });
}

void TcpConnection::on_read(const boost::system::error_code& ec, std::size_t n) {
  reading_ = false;
  if (aborted_ || detached_) return;
  if (n > 0) {
    const ByteView bytes(read_buffer_.data(), n);
    trace_.payload(trace_.peer_side(), bytes);
    if (handler_) {
      handler_->on_data(bytes);
    } else {
      stash_.assign(bytes.begin(), bytes.end());
    }
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

bool TcpConnection::write(ByteView bytes) {
  // Writing after shutdown_write(), abort() or a reset is a caller error or a lost race with
  // the peer; the bytes cannot be sent, and on_closed() tells the handler why.
  if (fin_requested_ || aborted_ || reset_ || detached_) return true;
  if (!bytes.empty()) {
    send_queue_.emplace_back(bytes.begin(), bytes.end());
    queued_bytes_ += bytes.size();
  }
  start_write();
  const bool below_limit = queued_bytes_ <= settings_.send_buffer_limit;
  if (!below_limit) want_writable_ = true;
  return below_limit;
}

void TcpConnection::start_write() {
  if (writing_ || send_queue_.empty() || aborted_ || reset_) return;
  writing_ = true;
  // Gather what is queued into one send, up to kMaxGatherBuffers and kMaxGatherBytes, so a
  // backlog of small PDUs costs one system call rather than one each.
  std::vector<boost::asio::const_buffer> buffers;
  std::size_t bytes = 0;
  for (const Bytes& chunk : send_queue_) {
    if (buffers.size() == kMaxGatherBuffers || (bytes > 0 && bytes >= kMaxGatherBytes)) break;
    buffers.emplace_back(chunk.data(), chunk.size());
    bytes += chunk.size();
  }
  in_flight_ = buffers.size();
  boost::asio::async_write(
      socket_, buffers,
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_write(ec, n);
      });
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
    trace_.payload(trace_.our_side(), send_queue_.front());
    queued_bytes_ -= send_queue_.front().size();
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
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->report_closed(CloseReason::local_abort);
  });
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
