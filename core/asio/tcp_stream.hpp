#pragma once
// One real TCP connection behind runtime::Stream. The state lives in a shared TcpConnection so
// asynchronous reads and writes that complete after the Stream is destroyed find it intact.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <vector>

#include "core/asio/boost_asio.hpp"
#include "core/asio/trace_tap.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::asio {

// Reads and writes are synchronous non-blocking system calls made from the loop's handlers;
// asio's reactor is used only to wait (and, for the first read after a wait, to read). A read
// turn reads until the socket is empty (up to a turn's budget; see
// StreamSettings::yield_after_short_read) and hands each piece to the handler at once; what the
// handler writes meanwhile leaves in one gathered send after each read. Writes made outside a
// read turn are sent from one handler posted to the loop, so a turn's writes still share one
// send. Only a send the kernel cannot take in full waits for the socket, through async_write.
// (With asio's asynchronous reads and writes every completion was a queued handler and every
// pass of the queue an epoll_wait: about three per 64 KiB read.)
// Small copied writes share one buffer (up to kCoalesceBytes), and the buffers of sent chunks
// are reused, so a stream of small PDUs does not allocate per PDU. Before a wait, the socket's
// receive low-water mark is set to what the handler expects (receive coalescing,
// tcp_stream_coalesce.cpp), so one wake-up reads several PDUs.
struct StreamSettings {
  // Bytes queued in user space beyond which write() reports back-pressure. A queue that
  // reaches it is sent at once, from inside write(); below it, at the end of the loop's turn.
  std::size_t send_buffer_limit = 256 * 1024;
  // Size of one read; also the largest on_data() delivery.
  std::size_t read_chunk = 64 * 1024;
  // SO_SNDBUF for the kernel's send buffer; 0 leaves the kernel's automatic sizing.
  std::size_t socket_send_buffer = 0;
  // After a read that did not fill its buffers, end the turn with a wait instead of reading on
  // (AsioRuntimeOptions::yield_after_short_read says when that pays).
  bool yield_after_short_read = false;
  // Receive coalescing (tcp_stream_coalesce.cpp): the most bytes a wait lets gather when the
  // handler expects more (StreamHandler::receive_batch_bytes()); 0 turns it off.
  std::size_t max_receive_batch = 512 * 1024;
  // How long a coalescing wait may see no bytes at all before it reads what has come.
  std::chrono::microseconds receive_batch_guard{1000};
};

runtime::Endpoint to_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);
boost::asio::ip::tcp::endpoint to_asio(runtime::Endpoint endpoint);

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  TcpConnection(boost::asio::ip::tcp::socket socket, runtime::Side our_side,
                const StreamSettings& settings, const TraceSettings& trace,
                const runtime::Clock& clock);

  void set_handler(runtime::StreamHandler* handler);
  bool write(ByteView bytes);
  bool write_gather(std::span<const runtime::WriteBuffer> buffers);
  void shutdown_write();
  void abort();
  // The owning Stream is gone: no more handler calls; the socket closes.
  void detach();
  runtime::Endpoint local_endpoint() const { return local_; }
  runtime::Endpoint peer_endpoint() const { return peer_; }
  TraceTap& trace() { return trace_; }

 private:
  // How one read ended: the turn goes on reading, waits for the socket (it was empty, or with
  // yield_after_short_read the read did not fill its buffers), reads again from a posted turn
  // (the turn's budget is spent), or stops reading for good (or until a handler is set).
  enum class ReadStep { more, would_block, short_read, budget_spent, stopped };
  bool can_read() const;
  void start_read();
  void wait_readable();
  std::size_t read_buffer_request(const runtime::ReceiveBuffer& wanted) const;
  void read_turn();
  void read_turn_after(const boost::system::error_code& ec, std::size_t n, std::size_t asked);
  void continue_turn(ReadStep step, std::size_t bytes_this_turn);
  ReadStep read_once(std::size_t& bytes_this_turn);
  ReadStep after_read(runtime::ReceiveBuffer wanted, const boost::system::error_code& ec,
                      std::size_t n, std::size_t asked);
  void deliver_read(runtime::ReceiveBuffer wanted, std::size_t n);
  // Receive coalescing (tcp_stream_coalesce.cpp).
  void coalesce_before_wait();
  void set_receive_low_water(std::size_t bytes);
  void arm_coalesce_guard();
  void on_coalesce_guard();
  void stop_coalescing();
  void deliver(ByteView bytes);
  // One queued piece: copied bytes, or bytes sent in place while `owner` keeps them alive.
  struct SendChunk {
    Bytes copy;
    std::shared_ptr<const void> owner;
    ByteView shared;
    ByteView bytes() const { return owner ? shared : ByteView(copy); }
  };
  void append_copy(ByteView bytes);
  void append_shared(ByteView bytes, std::shared_ptr<const void> owner);
  bool after_append();
  void schedule_flush();
  const std::vector<boost::asio::const_buffer>& gather_send();
  void send_now(bool may_notify);
  void consume_sent(std::size_t n);
  void notify_if_writable();
  void start_write();
  void on_write(const boost::system::error_code& ec, std::size_t n);
  void finish_write_side();
  void on_peer_reset();
  void report_closed(runtime::CloseReason reason);

  boost::asio::ip::tcp::socket socket_;
  StreamSettings settings_;
  runtime::Endpoint local_;
  runtime::Endpoint peer_;
  TraceTap trace_;
  runtime::StreamHandler* handler_ = nullptr;
  Bytes read_buffer_;
  Bytes stash_;  // read while no handler was set; delivered when one is
  std::deque<SendChunk> send_queue_;
  std::vector<boost::asio::const_buffer> gather_;  // the buffers of the send being made
  // Copy buffers of chunks already sent, kept for reuse (never one still in send_queue_).
  std::vector<Bytes> spare_buffers_;
  std::size_t queued_bytes_ = 0;
  std::size_t in_flight_ = 0;  // leading send_queue_ entries the running async_write covers
  bool reading_ = false;       // a wait for readability or a posted read turn is pending
  bool in_read_turn_ = false;  // inside read_turn(), which sends what was written after each read
  bool writing_ = false;       // an async_write is running
  bool flush_posted_ = false;  // a send_now() is posted to the loop
  bool want_writable_ = false;
  bool fin_requested_ = false;
  bool write_closed_ = false;
  bool read_closed_ = false;
  bool aborted_ = false;
  bool reset_ = false;
  bool detached_ = false;
  // Receive coalescing: the socket's SO_RCVLOWAT now; bytes read so far, and at the guard's
  // last look; after a wait that saw nothing, no coalescing until `coalesce_paused_until_`.
  std::size_t low_water_ = 1;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t received_at_guard_ = 0;
  std::chrono::steady_clock::time_point coalesce_paused_until_{};
  boost::asio::steady_timer coalesce_guard_;
  bool guard_armed_ = false;
};

// Destroying a TcpStream closes the socket at once (a FIN, or an RST if the kernel still holds
// unread bytes); bytes still queued in user space are dropped, so call shutdown_write() and wait
// for the peer's FIN first for an orderly close. write() after shutdown_write(), abort() or a
// reset drops the bytes and returns true: on_closed() has told (or will tell) the handler why.
class TcpStream final : public runtime::Stream {
 public:
  explicit TcpStream(std::shared_ptr<TcpConnection> connection)
      : connection_(std::move(connection)) {}
  ~TcpStream() override { connection_->detach(); }
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  void set_handler(runtime::StreamHandler* handler) override { connection_->set_handler(handler); }
  bool write(ByteView bytes) override { return connection_->write(bytes); }
  bool write_gather(std::span<const runtime::WriteBuffer> buffers) override {
    return connection_->write_gather(buffers);
  }
  void shutdown_write() override { connection_->shutdown_write(); }
  void abort() override { connection_->abort(); }
  runtime::Endpoint local_endpoint() const override { return connection_->local_endpoint(); }
  runtime::Endpoint peer_endpoint() const override { return connection_->peer_endpoint(); }

 private:
  std::shared_ptr<TcpConnection> connection_;
};

}  // namespace iscsi::asio
