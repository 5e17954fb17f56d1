#pragma once
// The whole reference target in the simulator for the server tests: a Simulator, a Fabric with
// the target host (10.0.0.2:3260) and two initiator hosts (10.0.0.1, 10.0.0.3), a TargetServer
// on them configured through tgtadm lines (TgtadmService, as `iscsim tgtadm` would), simulated
// file stores, and a trace sink recording every PDU, state and violation.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime/seeded_rng.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/target-impl/server/raw_initiator.hpp"

namespace iscsi::target::server::testing {

inline constexpr std::uint32_t kInitiatorIpv4 = 0x0a000001;   // 10.0.0.1
inline constexpr std::uint32_t kTargetIpv4 = 0x0a000002;      // 10.0.0.2
inline constexpr std::uint32_t kOtherInitiatorIpv4 = 0x0a000003;  // 10.0.0.3
inline constexpr std::uint16_t kPort = 3260;
inline constexpr runtime::Endpoint kPortal{kTargetIpv4, kPort};
inline constexpr std::string_view kDisk = "iqn.2026-01.org.example:disk1";

struct SimTargetOptions {
  config::Profile profile = config::Profile::rfc;
  // Simulated files for --backing-store paths: path -> size in bytes.
  std::map<std::string, std::uint64_t> files{};
  std::uint64_t seed = 7;
  // Without a trace sink the driver sends Data-In without assembling whole PDUs (gathered
  // writes whose data segment stays in the read buffer), as `iscsim target` does.
  bool with_trace = true;
  // Bytes a simulated stream queues before write() pushes back (sim::FabricConfig).
  std::size_t send_buffer_limit = 256 * 1024;
};

class SimTarget {
 public:
  explicit SimTarget(SimTargetOptions options = {});
  ~SimTarget();

  // Runs one tgtadm command line (split at spaces) against the live target.
  config::Reply tgtadm(std::string_view line);
  // A new raw connection from the first (or, with `other`, the second) initiator host.
  std::unique_ptr<RawInitiator> initiator(bool other = false);

  sim::Simulator& simulator() { return simulator_; }
  TargetServer& server() { return *server_; }
  test::RecordingTraceSink& trace() { return trace_; }
  // Violation ids the target reported, in order.
  std::vector<std::string> violation_ids() const;

 private:
  sim::Simulator simulator_;
  sim::Fabric fabric_;
  sim::Host& target_host_;
  sim::Host& initiator_host_;
  sim::Host& other_host_;
  runtime::SeededRng rng_;
  test::RecordingTraceSink trace_;
  std::map<std::string, std::uint64_t> files_;
  StandardBackingStores backing_;
  std::unique_ptr<TargetServer> server_;
  std::unique_ptr<TgtadmService> tgtadm_;
};

}  // namespace iscsi::target::server::testing
