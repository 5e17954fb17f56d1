#pragma once
// `iscsiadm -d N` (N >= 1): one stderr line per PDU sent or received while a command runs,
// "iscsiadm: PDU > Login Request ..." / "iscsiadm: PDU < Login Response ...", from
// pdu::describe(). Everything is forwarded to the runtime's own TraceSink as well.
#include <string>

#include "core/runtime/trace_sink.hpp"

namespace iscsi::initiator::host {

// Bound on the lines one command collects (a long I/O run must not grow stderr without end).
inline constexpr std::size_t kMaxDebugLines = 10000;

class DebugTrace final : public runtime::TraceSink {
 public:
  explicit DebugTrace(runtime::TraceSink* next) : next_(next) {}

  // Starts (level >= 1) or stops collecting; take() hands over what was collected.
  void set_level(int level) { level_ = level; }
  std::string take();

  void on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
              runtime::Direction direction, ByteView wire_bytes) override;
  void on_state(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                std::string_view machine, std::string_view from, std::string_view to) override;
  void on_violation(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                    const Violation& violation) override;

 private:
  void add(std::string line);

  runtime::TraceSink* next_;
  int level_ = 0;
  std::string lines_;
  std::size_t count_ = 0;
};

// One PDU's summary from its wire bytes (digests, when present, are recognised by their
// length and checked); "undecodable PDU (N bytes): why" when it does not decode.
std::string describe_wire_pdu(ByteView wire_bytes);

}  // namespace iscsi::initiator::host
