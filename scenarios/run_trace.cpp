#include "scenarios/run_trace.hpp"

#include <algorithm>

namespace iscsi::scenarios {
namespace {

// RFC 7143 §11.13: a Login Response is opcode 0x23; Status-Class is byte 36, Status-Detail 37.
constexpr std::uint8_t kLoginResponseOpcode = 0x23;
constexpr std::size_t kStatusClassOffset = 36;
constexpr std::size_t kBhsBytes = 48;

}  // namespace

void RunTrace::on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                      runtime::Direction direction, ByteView wire_bytes) {
  if (direction == runtime::Direction::target_to_initiator && wire_bytes.size() >= kBhsBytes &&
      (wire_bytes[0] & 0x3f) == kLoginResponseOpcode) {
    login_status_ = static_cast<std::uint16_t>(wire_bytes[kStatusClassOffset] << 8 |
                                               wire_bytes[kStatusClassOffset + 1]);
  }
  if (keep_pdus_ && pdus_.size() < kMaxRecordedPdus) {
    pdus_.push_back(
        PduRecord{at, connection, direction, Bytes(wire_bytes.begin(), wire_bytes.end())});
  }
}

void RunTrace::on_violation(runtime::TimePoint, const runtime::ConnectionKey&,
                            const Violation& violation) {
  const std::string id(violation.id());
  if (std::find(violations_.begin(), violations_.end(), id) == violations_.end()) {
    violations_.push_back(id);
  }
}

void RunTrace::begin_step() {
  login_status_.reset();
  violations_.clear();
}

}  // namespace iscsi::scenarios
