// TcpConnection's send side: the queue of written chunks, and the sends that drain it
// (tcp_stream.hpp says when they happen).
#include <algorithm>
#include <utility>
#include <vector>

#include "core/asio/tcp_stream.hpp"

namespace iscsi::asio {
namespace {

// Limits of one gathered send (gather_send()).
constexpr std::size_t kMaxGatherBuffers = 64;
constexpr std::size_t kMaxGatherBytes = 1024 * 1024;
// Copied writes are appended to the last queued copy buffer up to this size.
constexpr std::size_t kCoalesceBytes = 64 * 1024;
// Sent copy buffers kept for reuse: how many, and the largest capacity worth keeping.
constexpr std::size_t kMaxSpareBuffers = 8;
constexpr std::size_t kMaxSpareCapacity = 256 * 1024;

}  // namespace

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
  // Only a chunk the current async_write does not cover may grow: growing may move its bytes.
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
  if (queued_bytes_ >= settings_.send_buffer_limit) {
    // A full queue is sent at once, from inside write(), so that a large read's Data-In starts
    // moving while later commands are still being served, and the writer is told to wait only
    // when the kernel cannot take it. Smaller sends cost more: `iscsim target` spent 25.1 ms of
    // CPU per 1,000 64 KiB reads with sends of 128 KiB and 17.3 ms with sends of a MiB (fewer
    // sendmsg calls, and fewer wake-ups of a reader that has caught up; docs/target.md).
    // Inside write(): the handler must not hear on_writable() from here, but from the loop.
    send_now(/*may_notify=*/false);
    if (!want_writable_ || writing_) return;  // else a flush posted below tells it
  }
  if (in_read_turn_ || flush_posted_) return;  // the read turn sends at its end
  flush_posted_ = true;
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->send_now(/*may_notify=*/true);
  });
}

// Gathers what is queued into one send, up to kMaxGatherBuffers and kMaxGatherBytes, so a
// backlog of PDUs costs one system call rather than one each. The list is a member so that a
// send allocates nothing (async_write keeps a copy of its own).
const std::vector<boost::asio::const_buffer>& TcpConnection::gather_send() {
  gather_.clear();
  std::size_t bytes = 0;
  for (const SendChunk& chunk : send_queue_) {
    if (gather_.size() == kMaxGatherBuffers || (bytes > 0 && bytes >= kMaxGatherBytes)) break;
    const ByteView view = chunk.bytes();
    gather_.emplace_back(view.data(), view.size());
    bytes += view.size();
  }
  return gather_;
}

// One non-blocking send of what is queued. What the kernel does not take at once goes through
// async_write, which waits for room in the socket; so does a failed send, whose error then
// reaches the handler from the loop rather than from inside write().
void TcpConnection::send_now(bool may_notify) {
  if (!writing_ && !send_queue_.empty() && !aborted_ && !reset_ && !detached_) {
    boost::system::error_code ec;
    const std::size_t sent = socket_.send(gather_send(), 0, ec);
    if (!ec) consume_sent(sent);
    if (!send_queue_.empty()) {
      start_write();
    } else if (fin_requested_) {
      finish_write_side();
    }
  }
  if (may_notify) notify_if_writable();
}

// Drops the first n sent bytes from the queue, keeping copy buffers for reuse; a chunk sent in
// part keeps its unsent tail.
void TcpConnection::consume_sent(std::size_t n) {
  while (n > 0 && !send_queue_.empty()) {
    SendChunk& chunk = send_queue_.front();
    const ByteView bytes = chunk.bytes();
    const std::size_t taken = std::min(n, bytes.size());
    trace_.payload(trace_.our_side(), bytes.first(taken));
    queued_bytes_ -= taken;
    n -= taken;
    if (taken < bytes.size()) {
      if (chunk.owner) {
        chunk.shared = bytes.subspan(taken);
      } else {
        chunk.copy.erase(chunk.copy.begin(), chunk.copy.begin() + static_cast<long>(taken));
      }
      return;
    }
    if (!chunk.owner && spare_buffers_.size() < kMaxSpareBuffers &&
        chunk.copy.capacity() <= kMaxSpareCapacity) {
      chunk.copy.clear();
      spare_buffers_.push_back(std::move(chunk.copy));
    }
    send_queue_.pop_front();
  }
}

void TcpConnection::notify_if_writable() {
  if (want_writable_ && queued_bytes_ <= settings_.send_buffer_limit && !detached_ && !aborted_ &&
      !reset_) {
    want_writable_ = false;
    if (handler_) handler_->on_writable();
  }
}

void TcpConnection::start_write() {
  if (writing_ || send_queue_.empty() || aborted_ || reset_ || detached_) return;
  writing_ = true;
  const std::vector<boost::asio::const_buffer>& buffers = gather_send();
  in_flight_ = buffers.size();
  boost::asio::async_write(socket_, buffers,
                           [self = shared_from_this()](const boost::system::error_code& ec,
                                                       std::size_t n) { self->on_write(ec, n); });
}

void TcpConnection::on_write(const boost::system::error_code& ec, std::size_t n) {
  writing_ = false;
  in_flight_ = 0;
  if (aborted_ || reset_) return;
  if (ec) {
    if (ec != boost::asio::error::operation_aborted) on_peer_reset();
    return;
  }
  // async_write completes only when every gathered buffer was sent in full.
  consume_sent(n);
  notify_if_writable();
  if (aborted_ || reset_) return;
  if (!send_queue_.empty()) {
    send_now(/*may_notify=*/true);
  } else if (fin_requested_) {
    finish_write_side();
  }
}

}  // namespace iscsi::asio
