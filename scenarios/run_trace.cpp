#include "scenarios/run_trace.hpp"

#include <algorithm>

namespace iscsi::scenarios {
namespace {

// RFC 7143 §11.13: a Login Response is opcode 0x23; Status-Class is byte 36, Status-Detail 37.
constexpr std::uint8_t kLoginResponseOpcode = 0x23;
constexpr std::size_t kStatusClassOffset = 36;
constexpr std::size_t kBhsBytes = 48;
// RFC 7143 §11.13: byte 1 holds the T bit (0x80) and NSG (low two bits); NSG 3 is the full
// feature phase.
constexpr std::uint8_t kTransitBit = 0x80;
constexpr std::uint8_t kFullFeaturePhase = 3;

// The value of `key` in a text data segment ("Key=Value" entries ended by NUL), or "".
std::string_view key_value(ByteView data, std::string_view key) {
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view entry = text.substr(start, end - start);
    if (entry.size() > key.size() && entry.substr(0, key.size()) == key &&
        entry[key.size()] == '=') {
      return entry.substr(key.size() + 1);
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

// Login PDUs carry no digests (RFC 7143 §13.1), so the data segment starts after the BHS and
// the AHS. The last answer to HeaderDigest / DataDigest in any Login Response of the connection
// is what was negotiated.
void RunTrace::follow_login(const runtime::ConnectionKey& connection, ByteView response) {
  if (!on_full_feature_) return;
  auto tracked = std::find_if(logins_.begin(), logins_.end(),
                              [&](const auto& entry) { return entry.first == connection; });
  if (tracked == logins_.end()) {
    if (logins_.size() >= kMaxTrackedLogins) logins_.erase(logins_.begin());
    logins_.emplace_back(connection, NegotiatedDigests{});
    tracked = logins_.end() - 1;
  }
  const std::size_t ahs = std::size_t{response[4]} * 4;
  const std::size_t length = std::size_t{response[5]} << 16 | std::size_t{response[6]} << 8 |
                             std::size_t{response[7]};
  if (kBhsBytes + ahs + length <= response.size()) {
    const ByteView data = response.subspan(kBhsBytes + ahs, length);
    const std::string_view header = key_value(data, "HeaderDigest");
    const std::string_view digest = key_value(data, "DataDigest");
    if (!header.empty()) tracked->second.header = header == "CRC32C";
    if (!digest.empty()) tracked->second.data = digest == "CRC32C";
  }
  // A login that failed or was redirected ends its connection: nothing more to follow.
  if (response[kStatusClassOffset] != 0) {
    logins_.erase(tracked);
    return;
  }
  if ((response[1] & kTransitBit) != 0 && (response[1] & 0x03) == kFullFeaturePhase) {
    const NegotiatedDigests digests = tracked->second;
    logins_.erase(tracked);
    on_full_feature_(connection, digests);
  }
}

void RunTrace::on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                      runtime::Direction direction, ByteView wire_bytes) {
  if (direction == runtime::Direction::target_to_initiator && wire_bytes.size() >= kBhsBytes &&
      (wire_bytes[0] & 0x3f) == kLoginResponseOpcode) {
    login_status_ = static_cast<std::uint16_t>(wire_bytes[kStatusClassOffset] << 8 |
                                               wire_bytes[kStatusClassOffset + 1]);
    follow_login(connection, wire_bytes);
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
