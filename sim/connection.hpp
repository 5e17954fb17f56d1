#pragma once
// Internals of sim/fabric: one link direction's state, and a connection's two directions and two
// ends. Only sim/*.cpp includes this header.
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/runtime/stream.hpp"
#include "core/runtime/transport_trace.hpp"
#include "sim/fabric.hpp"
#include "sim/pdu_fault_plan.hpp"
#include "sim/rng.hpp"

namespace iscsi::sim {

// One direction of a host pair. Streams on the same direction share its bandwidth.
struct LinkState {
  LinkParams params;
  runtime::Duration extra_delay{0};  // delay_direction() fault
  runtime::TimePoint busy_until{};   // the transmitter is serializing until then
  runtime::TimePoint stalled_until{};
};

// One direction of a connection, from `sender` to the other side.
struct Half {
  runtime::Side sender = runtime::Side::client;
  std::uint32_t from_host = 0;
  std::uint32_t to_host = 0;
  LinkState* link = nullptr;
  SimRng rng{0};                    // segmentation and jitter of this direction
  std::deque<Bytes> queue;          // written, not yet transmitted
  std::size_t front_offset = 0;     // bytes of queue.front() already transmitted
  std::uint64_t queued_bytes = 0;   // written, not yet transmitted
  std::uint64_t unacked_bytes = 0;  // written, not yet delivered: the send buffer's fill
  std::uint64_t sent_offset = 0;    // stream offset of the next byte to transmit
  bool writer_blocked = false;
  bool fin_requested = false;
  bool fin_sent = false;
  bool pump_scheduled = false;
  runtime::TimePoint last_arrival{};
  std::deque<Bytes> in_flight;  // transmitted, not yet delivered, in order
  std::vector<std::pair<std::uint64_t, std::uint8_t>> corruptions;  // stream offset, mask
  std::unique_ptr<PduScanner> pdu_scanner;  // only when the fabric has PDU faults for this side
  std::uint64_t delivered_offset = 0;
  std::uint64_t reset_at_delivered = UINT64_MAX;  // a PDU fault's reset point
  // Emptied buffers kept for reuse, so a bulk transfer does not allocate per write or segment.
  std::vector<Bytes> spare_chunks;
  std::vector<Bytes> spare_segments;
};

// Takes a recycled buffer (empty, with capacity) from `pool`, or a new one.
Bytes take_buffer(std::vector<Bytes>& pool);
// Keeps `buffer`'s storage for reuse while `pool` holds fewer than `bound` buffers.
void recycle_buffer(std::vector<Bytes>& pool, Bytes&& buffer, std::size_t bound);

// What one side's application sees: its handler, and what arrived before it set one.
struct EndState {
  enum class Life { unborn, open, gone };
  Life life = Life::unborn;
  runtime::StreamHandler* handler = nullptr;
  std::deque<Bytes> pending;  // arrived while no handler was set
  bool close_pending = false;
  runtime::CloseReason pending_reason = runtime::CloseReason::peer_fin;
  bool closed = false;  // aborted or reset: no more callbacks but on_closed
  bool flush_scheduled = false;
};

struct Connection {
  Fabric* fabric = nullptr;
  runtime::ConnectionKey key;
  Half halves[2];  // indexed by the sender's Side
  EndState ends[2];
  bool reset = false;

  static std::size_t index(runtime::Side side) { return side == runtime::Side::client ? 0 : 1; }
  static runtime::Side other(runtime::Side side) {
    return side == runtime::Side::client ? runtime::Side::server : runtime::Side::client;
  }
  Half& half(runtime::Side sender) { return halves[index(sender)]; }
  EndState& end(runtime::Side side) { return ends[index(side)]; }

  // Application calls, on behalf of `side`.
  bool write(runtime::Side side, ByteView bytes);
  void shutdown_write(runtime::Side side);
  void abort(runtime::Side side);
  void set_handler(runtime::Side side, runtime::StreamHandler* handler);
  void release(runtime::Side side);  // the Stream object was destroyed
  // A reset injected by the fabric (fault): both ends see peer_reset.
  void inject_reset();

 private:
  void schedule_pump(Half& half, runtime::TimePoint at);
  void pump(Half& half);
  Bytes cut_segment(Half& half, std::size_t size);
  void transmit(Half& half, Bytes segment, runtime::TimePoint start);
  void send_fin(Half& half);
  void deliver(Half& half);
  void deliver_fin(Half& half);
  runtime::TimePoint arrival_time(Half& half, runtime::TimePoint sent);
  void notify_data(runtime::Side side, Bytes& segment);  // may move from `segment`
  void notify_closed(runtime::Side side, runtime::CloseReason reason);
  void flush(runtime::Side side);
  void drop_buffers();
};

class SimStream final : public runtime::Stream {
 public:
  SimStream(Connection& connection, runtime::Side side);
  ~SimStream() override;
  SimStream(const SimStream&) = delete;
  SimStream& operator=(const SimStream&) = delete;

  void set_handler(runtime::StreamHandler* handler) override;
  bool write(ByteView bytes) override;
  // Copies the pieces into one write, so a gathered write segments, traces and delivers
  // exactly as the same bytes written at once (determinism does not depend on the caller).
  bool write_gather(std::span<const runtime::WriteBuffer> buffers) override;
  void shutdown_write() override;
  void abort() override;
  runtime::Endpoint local_endpoint() const override;
  runtime::Endpoint peer_endpoint() const override;

 private:
  Connection& connection_;
  runtime::Side side_;
  Bytes gather_buffer_;  // reused by write_gather()
};

}  // namespace iscsi::sim
