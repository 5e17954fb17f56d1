#pragma once
// Everything observable about a run: every PDU, state transition and violation. Reports, pcap
// writers and the scenario checks are all TraceSinks.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/common/violation.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::runtime {

enum class Direction { initiator_to_target, target_to_initiator };

// Identifies one connection in a trace: the two endpoints, as a TCP 4-tuple.
struct ConnectionKey {
  Endpoint initiator;
  Endpoint target;
  friend bool operator==(const ConnectionKey&, const ConnectionKey&) = default;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // A whole PDU (header, digests, data, pad) as it went on the wire.
  virtual void on_pdu(TimePoint at, const ConnectionKey& connection, Direction direction,
                      ByteView wire_bytes) = 0;
  // A named state machine moved, e.g. ("login", "SecurityNegotiation", "OperationalNegotiation").
  virtual void on_state(TimePoint at, const ConnectionKey& connection, std::string_view machine,
                        std::string_view from, std::string_view to) = 0;
  virtual void on_violation(TimePoint at, const ConnectionKey& connection,
                            const Violation& violation) = 0;
};

}  // namespace iscsi::runtime
