#include "initiator-impl/host/debug_trace.hpp"

#include <fmt/format.h>

#include "core/pdu/codec.hpp"
#include "core/pdu/describe.hpp"

namespace iscsi::initiator::host {

std::string describe_wire_pdu(ByteView wire_bytes) {
  // The trace gives the bytes as they went on the wire: with the digests negotiated for the
  // connection (none during login, RFC 7143 §11.13). The length tells which are present;
  // decode() checks the CRCs, so a wrong guess fails and the next one is tried.
  constexpr pdu::DigestOptions kChoices[] = {
      {false, false}, {true, true}, {true, false}, {false, true}};
  if (wire_bytes.size() < pdu::kBhsLength) {
    return fmt::format("undecodable PDU ({} bytes): shorter than a BHS", wire_bytes.size());
  }
  std::string why;
  for (const pdu::DigestOptions& digests : kChoices) {
    if (pdu::pdu_wire_length(wire_bytes, digests) != wire_bytes.size()) continue;
    auto decoded = pdu::decode(wire_bytes, digests);
    if (decoded.ok()) return pdu::describe(decoded.value().pdu);
    why = decoded.error().detail;
  }
  auto header = pdu::decode_bhs(wire_bytes);
  if (header.ok()) return pdu::describe(header.value().pdu.header);
  return fmt::format("undecodable PDU ({} bytes): {}", wire_bytes.size(),
                     why.empty() ? header.error().detail : why);
}

std::string DebugTrace::take() {
  std::string lines = std::move(lines_);
  lines_.clear();
  count_ = 0;
  return lines;
}

void DebugTrace::add(std::string line) {
  if (count_ == kMaxDebugLines) lines_ += "iscsiadm: (further PDU lines left out)\n";
  if (count_++ >= kMaxDebugLines) return;
  lines_ += "iscsiadm: " + line + "\n";
}

void DebugTrace::on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                        runtime::Direction direction, ByteView wire_bytes) {
  if (level_ >= 1) {
    const char arrow = direction == runtime::Direction::initiator_to_target ? '>' : '<';
    add(fmt::format("PDU {} {}", arrow, describe_wire_pdu(wire_bytes)));
  }
  if (next_ != nullptr) next_->on_pdu(at, connection, direction, wire_bytes);
}

void DebugTrace::on_state(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                          std::string_view machine, std::string_view from, std::string_view to) {
  if (next_ != nullptr) next_->on_state(at, connection, machine, from, to);
}

void DebugTrace::on_violation(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                              const Violation& violation) {
  // A broken rule is worth a line at -d 1 as well: iscsiadm's debug output names failures.
  if (level_ >= 1) add("violation: " + violation.to_string());
  if (next_ != nullptr) next_->on_violation(at, connection, violation);
}

}  // namespace iscsi::initiator::host
