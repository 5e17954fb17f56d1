#pragma once
// What crossed the wire at the transport level, for capture writers (pcap/). The simulator
// reports its real segments; the real-socket runtime synthesizes them from what each side wrote
// and read (user space cannot see TCP segments), split at a configured MSS. TraceSink (PDUs,
// states, violations) is the protocol-level view of the same run.
#include "core/common/bytes.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/trace_sink.hpp"

namespace iscsi::runtime {

// Which side of a TCP connection: the one that connected (client: the iSCSI initiator) or the
// one that accepted (server: the target). ConnectionKey::initiator is the client endpoint.
enum class Side { client, server };

class TransportTrace {
 public:
  virtual ~TransportTrace() = default;
  // The three-way handshake completed (a capture writes SYN, SYN-ACK, ACK).
  virtual void on_connected(TimePoint at, const ConnectionKey& connection) = 0;
  // A connect attempt answered with RST (no listener): SYN then RST.
  virtual void on_refused(TimePoint at, const ConnectionKey& connection) = 0;
  // One TCP segment's payload sent by `sender`, in stream order per direction.
  virtual void on_segment(TimePoint at, const ConnectionKey& connection, Side sender,
                          ByteView payload) = 0;
  // `sender` closed its direction (FIN) or reset the connection (RST).
  virtual void on_fin(TimePoint at, const ConnectionKey& connection, Side sender) = 0;
  virtual void on_reset(TimePoint at, const ConnectionKey& connection, Side sender) = 0;
};

}  // namespace iscsi::runtime
