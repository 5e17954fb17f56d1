#pragma once
// The reference target and our initiator's Client in the simulator: a target host
// (10.0.0.2:3260), a second target host for redirections (10.0.0.5:3260), and an initiator host
// with two addresses (10.0.0.1, 10.0.0.4) for ACL tests. Both targets are configured with
// tgtadm lines; the Client reports to its own RecordingTraceSink.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/runtime/seeded_rng.hpp"
#include "initiator-impl/client/client.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"
#include "tests/initiator-impl/client/counting_network.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::initiator::client::testing {

inline constexpr std::uint32_t kInitiatorIpv4 = 0x0a000001;        // 10.0.0.1
inline constexpr std::uint32_t kTargetIpv4 = 0x0a000002;           // 10.0.0.2
inline constexpr std::uint32_t kSecondInitiatorIpv4 = 0x0a000004;  // 10.0.0.4
inline constexpr std::uint32_t kSecondTargetIpv4 = 0x0a000005;     // 10.0.0.5
inline constexpr runtime::Endpoint kPortal{kTargetIpv4, 3260};
inline constexpr runtime::Endpoint kSecondPortal{kSecondTargetIpv4, 3260};
inline constexpr std::string_view kInitiatorName = "iqn.2026-01.test.client:host1";

struct LabOptions {
  target::config::Profile profile = target::config::Profile::rfc;
  std::uint64_t seed = 11;
  // Bytes a stream holds unsent before write() reports back-pressure (both sides).
  std::size_t send_buffer_limit = 256 * 1024;
};

class ClientLab {
 public:
  explicit ClientLab(LabOptions options = {});
  ~ClientLab();

  // One tgtadm command line (split at spaces) against the first or the second target.
  target::config::Reply tgtadm(std::string_view line, bool second = false);
  // Fails the test (and throws) when the line is refused.
  void configure(std::string_view line, bool second = false);

  // A request from the first initiator address with our name and defaults.
  LoginRequest request(std::string_view target_name, runtime::Endpoint portal = kPortal) const;
  // Run the simulator until the callback arrived.
  LoginOutcome login(LoginRequest request);
  DiscoveryOutcome discover(LoginRequest request);
  session::CommandCompleted command(Session& session, session::ScsiRequest request);
  session::LogoutCompleted logout(Session& session);
  // Runs the simulator until `done` or the event limit; false when it went idle first.
  bool run_until(const std::function<bool()>& done);

  sim::Simulator& simulator() { return simulator_; }
  sim::Fabric& fabric() { return fabric_; }
  sim::Host& second_target_host() { return second_target_host_; }
  Client& client() { return client_; }
  // What the Client wrote: SCSI Commands per write (command batching).
  CountingNetwork& client_network() { return client_network_; }
  test::RecordingTraceSink& client_trace() { return client_trace_; }
  test::RecordingTraceSink& target_trace() { return target_trace_; }

 private:
  sim::Simulator simulator_;
  sim::Fabric fabric_;
  sim::Host& target_host_;
  sim::Host& second_target_host_;
  sim::Host& initiator_host_;
  runtime::SeededRng target_rng_;
  runtime::SeededRng client_rng_;
  test::RecordingTraceSink target_trace_;
  test::RecordingTraceSink client_trace_;
  target::server::StandardBackingStores backing_;
  std::unique_ptr<target::server::TargetServer> server_;
  std::unique_ptr<target::server::TargetServer> second_server_;
  std::unique_ptr<target::server::TgtadmService> tgtadm_;
  std::unique_ptr<target::server::TgtadmService> second_tgtadm_;
  CountingNetwork client_network_;
  Client client_;
};

}  // namespace iscsi::initiator::client::testing
