#pragma once
// Turns transport events (runtime::TransportTrace) into the TCP frames a capture shows: a
// three-way handshake per connection, per-direction sequence numbers advanced by payload,
// ACKs from the receiver, MSS segmentation, FIN and RST. Deterministic: the initial sequence
// numbers and IP IDs derive from the 4-tuple and the connection's ordinal, never from
// randomness, so the same calls always give the same frames.
#include <cstddef>
#include <cstdint>
#include <map>
#include <tuple>

#include "core/common/bytes.hpp"
#include "core/runtime/transport_trace.hpp"
#include "pcap/frame_builder.hpp"

namespace iscsi::pcap {

// Receives each synthesized frame, in order.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void on_frame(runtime::TimePoint at, ByteView frame) = 0;
};

struct SynthesizerOptions {
  // TCP payload per frame. A real-socket write can exceed one packet, so larger payloads are
  // split; valid range 1..kMaxTcpPayload (65495), larger values are clamped to it.
  std::size_t mss = 1448;
  // Connections tracked at once; events of further connections are counted and dropped.
  std::size_t max_connections = 65536;
};

class TcpSynthesizer final : public runtime::TransportTrace {
 public:
  TcpSynthesizer(FrameSink& sink, const SynthesizerOptions& options);

  void on_connected(runtime::TimePoint at, const runtime::ConnectionKey& connection) override;
  void on_refused(runtime::TimePoint at, const runtime::ConnectionKey& connection) override;
  void on_segment(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                  runtime::Side sender, ByteView payload) override;
  void on_fin(runtime::TimePoint at, const runtime::ConnectionKey& connection,
              runtime::Side sender) override;
  void on_reset(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                runtime::Side sender) override;

  std::size_t mss() const { return mss_; }
  std::size_t open_connections() const { return flows_.size(); }
  // Events that produced no frame: data or FIN after that side's FIN, or connections beyond
  // max_connections.
  std::uint64_t events_dropped() const { return events_dropped_; }

  // The window every host advertises (no window scaling).
  static constexpr std::uint32_t kWindow = 65535;

 private:
  struct Half {
    runtime::Endpoint endpoint;
    std::uint32_t next_sequence = 0;
    std::uint16_t ip_id = 0;
    std::uint32_t unacknowledged = 0;  // bytes sent that the peer has not ACKed yet
    bool fin_sent = false;
  };
  struct Flow {
    Half client;
    Half server;
    Half& half(runtime::Side side) { return side == runtime::Side::client ? client : server; }
    Half& peer(runtime::Side side) { return side == runtime::Side::client ? server : client; }
  };
  using FlowKey = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
  static FlowKey key_of(const runtime::ConnectionKey& connection);

  Flow make_flow(const runtime::ConnectionKey& connection);
  Flow* find_or_open(runtime::TimePoint at, const runtime::ConnectionKey& connection);
  void write_handshake(runtime::TimePoint at, Flow& flow);
  void emit(runtime::TimePoint at, Half& from, Half& to, std::uint8_t flags, ByteView payload,
            std::uint16_t mss_option = 0);
  void send_data(runtime::TimePoint at, Half& from, Half& to, ByteView chunk, bool last);

  FrameSink& sink_;
  std::size_t mss_;
  std::size_t max_connections_;
  std::map<FlowKey, Flow> flows_;
  std::uint64_t connection_ordinal_ = 0;
  std::uint64_t events_dropped_ = 0;
  Bytes frame_;  // reused buffer for the frame being built
};

}  // namespace iscsi::pcap
