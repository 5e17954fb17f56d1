#pragma once
// One TCP connection as the protocol code sees it: ordered bytes both ways, half close, abort.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>

#include "core/common/bytes.hpp"

namespace iscsi::runtime {

struct Endpoint {
  std::uint32_t ipv4 = 0;  // host byte order: 127.0.0.1 == 0x7f000001
  std::uint16_t port = 0;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
  std::string to_string() const;  // "127.0.0.1:3260"
};

// Why a stream ended, as seen by the side that is told.
enum class CloseReason {
  peer_fin,       // orderly close by the peer (read side ended)
  peer_reset,     // RST from the peer
  local_abort,    // we aborted
  timed_out,      // no answer (partition, host down)
  refused,        // connect refused (RST in answer to SYN)
};

std::string_view to_string(CloseReason reason);

// Where a handler wants the next received bytes (StreamHandler::receive_buffer()).
struct ReceiveBuffer {
  std::span<std::uint8_t> bytes;  // read into first; empty: on_data() only
  // The most bytes to read after `bytes` in the same read; with `bytes` empty, the most bytes
  // the read takes (0 there means no limit). A small value (the next PDU's header) lets the
  // data segment after it be read in place too, instead of copied.
  std::size_t then_at_most = std::numeric_limits<std::size_t>::max();
};

// Receives what happens on a stream. Calls come from the runtime's event loop.
class StreamHandler {
 public:
  virtual ~StreamHandler() = default;
  virtual void on_data(ByteView bytes) = 0;
  // The send buffer drained below its limit after write() reported back-pressure.
  virtual void on_writable() = 0;
  virtual void on_closed(CloseReason reason) = 0;

  // Optional zero-copy receive. A stream may ask, before each read, where the handler wants
  // the next bytes: a non-empty ReceiveBuffer::bytes (the unfilled data segment of a PDU in
  // progress) is read into directly, and on_received_in_place(n) then says that its first n
  // bytes arrived; bytes beyond it (at most then_at_most in that read) still come through
  // on_data(), after. The span must stay valid and unused by the handler until
  // on_received_in_place() or the stream's destruction (if the handler is replaced meanwhile,
  // the bytes read into it are delivered to the new one through on_data()). A stream that does
  // not ask (the simulator) only ever calls on_data().
  virtual ReceiveBuffer receive_buffer() { return {}; }
  virtual void on_received_in_place(std::size_t count) { static_cast<void>(count); }

  // Optional receive coalescing. How many bytes the peer is expected to send without waiting
  // for anything from us (an initiator: part of the Data-In of its reads in flight). A stream
  // may then let that many gather before it reads, so that one wake-up of the loop takes
  // several PDUs; a sender on the same machine then also wakes us less often. Only a hint:
  // the peer may send less (a status without the data), so a stream that waits must read
  // what came after a short time without more. 0 (the default): read as soon as bytes
  // arrive. Asked before each wait; a stream that does not wait (the simulator) never asks.
  virtual std::size_t receive_batch_bytes() { return 0; }
};

// One piece of a gathered write (Stream::write_gather).
struct WriteBuffer {
  ByteView bytes;
  // When set, `bytes` stay valid while `owner` is held, and the stream may keep a reference
  // and send them in place, releasing `owner` once they are sent or dropped. When empty, the
  // stream copies the bytes before write_gather() returns.
  std::shared_ptr<const void> owner;
};

class Stream {
 public:
  virtual ~Stream() = default;
  virtual void set_handler(StreamHandler* handler) = 0;
  // Queues bytes for sending. Returns false when the send buffer is over its limit: the bytes
  // are still queued, and the writer should wait for on_writable() before writing more.
  virtual bool write(ByteView bytes) = 0;
  // As write() with the buffers' bytes concatenated in order: the peer receives exactly the
  // same byte stream. Buffers with an owner need not be copied (a Data-In PDU's data segment
  // goes from the read buffer to the socket as it is).
  virtual bool write_gather(std::span<const WriteBuffer> buffers) = 0;
  virtual void shutdown_write() = 0;  // FIN: half close
  virtual void abort() = 0;           // RST
  virtual Endpoint local_endpoint() const = 0;
  virtual Endpoint peer_endpoint() const = 0;
};

}  // namespace iscsi::runtime
