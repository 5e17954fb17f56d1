#pragma once
// Synthesizes TransportTrace events for one real connection from what our side wrote and read:
// user space cannot see TCP segments, so payload is split at a configured MSS (DESIGN.md, pcap).
#include <cstddef>

#include "core/runtime/clock.hpp"
#include "core/runtime/transport_trace.hpp"

namespace iscsi::asio {

struct TraceSettings {
  runtime::TransportTrace* trace = nullptr;
  // Largest synthesized segment payload; 1460 is Ethernet's 1500-byte MTU minus IPv4 and TCP.
  std::size_t mss = 1460;
  // Which of our own streams report. When both ends of a loopback connection run in this
  // process, tracing both would report every byte twice, so tests pick one side.
  bool trace_connected = true;
  bool trace_accepted = true;
};

class TraceTap {
 public:
  TraceTap() = default;
  TraceTap(const TraceSettings& settings, const runtime::Clock& clock,
           runtime::ConnectionKey key, runtime::Side our_side);

  bool enabled() const { return trace_ != nullptr; }
  runtime::Side our_side() const { return our_side_; }
  runtime::Side peer_side() const;
  void connected();
  void refused();
  void payload(runtime::Side sender, ByteView bytes);
  // FIN and RST are reported at most once per sender.
  void fin(runtime::Side sender);
  void reset(runtime::Side sender);

 private:
  runtime::TransportTrace* trace_ = nullptr;
  const runtime::Clock* clock_ = nullptr;
  std::size_t mss_ = 1460;
  runtime::ConnectionKey key_{};
  runtime::Side our_side_ = runtime::Side::client;
  bool fin_sent_[2] = {false, false};
  bool reset_sent_ = false;
};

}  // namespace iscsi::asio
