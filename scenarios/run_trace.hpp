#pragma once
// The runner's TraceSink: the PDUs of the initiator side (kept for pcap and report writers),
// the Status-Class/Detail of the last Login Response seen, and the ids of the violations either
// side reported. One instance watches every initiator, another the target (PDUs not kept).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/runtime/trace_sink.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios {

// Bounds a runaway scenario's memory: PDUs past this many are counted, not kept.
inline constexpr std::size_t kMaxRecordedPdus = 1'000'000;
// Connections whose login is followed at once (digest keys seen, Final-Response not yet).
inline constexpr std::size_t kMaxTrackedLogins = 4096;

// The digests a login negotiated (RFC 7143 §13.1): HeaderDigest and DataDigest apply to every
// PDU after the Login Final-Response, both ways.
struct NegotiatedDigests {
  bool header = false;
  bool data = false;
};
using FullFeatureCallback =
    std::function<void(const runtime::ConnectionKey& connection, NegotiatedDigests digests)>;

class RunTrace final : public runtime::TraceSink {
 public:
  explicit RunTrace(bool keep_pdus) : keep_pdus_(keep_pdus) {}

  void on_pdu(runtime::TimePoint at, const runtime::ConnectionKey& connection,
              runtime::Direction direction, ByteView wire_bytes) override;
  void on_state(runtime::TimePoint, const runtime::ConnectionKey&, std::string_view,
                std::string_view, std::string_view) override {}
  void on_violation(runtime::TimePoint at, const runtime::ConnectionKey& connection,
                    const Violation& violation) override;

  // Told when a connection enters full feature phase (a successful Login Final-Response
  // received) with the digests its login negotiated, before the initiator sends its next PDU.
  void set_full_feature_callback(FullFeatureCallback callback) {
    on_full_feature_ = std::move(callback);
  }

  // Forgets the login status and violations of the previous step.
  void begin_step();
  const std::optional<std::uint16_t>& login_status() const { return login_status_; }
  const std::vector<std::string>& violations() const { return violations_; }
  std::vector<PduRecord>& pdus() { return pdus_; }

 private:
  void follow_login(const runtime::ConnectionKey& connection, ByteView response);

  bool keep_pdus_;
  FullFeatureCallback on_full_feature_;
  std::vector<std::pair<runtime::ConnectionKey, NegotiatedDigests>> logins_;
  std::vector<PduRecord> pdus_;
  std::optional<std::uint16_t> login_status_;
  std::vector<std::string> violations_;
};

}  // namespace iscsi::scenarios
