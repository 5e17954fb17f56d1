#pragma once
// The reference target and one InitiatorHost in the simulator, driven by iscsiadm lines as a
// student types them: a target host (10.0.0.2:3260), a second target host for redirections
// (10.0.0.5:3260), and the initiator host with two addresses (10.0.0.1, 10.0.0.4). Its
// $ISCSIM_HOME is a MemoryFileStore with a fixed InitiatorName; both targets are configured
// with tgtadm lines.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/runtime/seeded_rng.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"
#include "target-impl/config/tgtadm.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::initiator::host::testing {

inline constexpr std::uint32_t kInitiatorIpv4 = 0x0a000001;        // 10.0.0.1
inline constexpr std::uint32_t kTargetIpv4 = 0x0a000002;           // 10.0.0.2
inline constexpr std::uint32_t kSecondInitiatorIpv4 = 0x0a000004;  // 10.0.0.4
inline constexpr std::uint32_t kSecondTargetIpv4 = 0x0a000005;     // 10.0.0.5
inline constexpr std::string_view kHostName = "iqn.2026-01.test.host:student";

struct HostLabOptions {
  target::config::Profile profile = target::config::Profile::rfc;
  std::uint64_t seed = 21;
  // Short, so that retried logins keep virtual time small.
  runtime::Duration login_retry_delay = std::chrono::milliseconds(200);
};

// Counts what the fabric saw that the iSCSI trace cannot: refused connects.
struct TransportCounter final : runtime::TransportTrace {
  std::size_t refused = 0;
  void on_connected(runtime::TimePoint, const runtime::ConnectionKey&) override {}
  void on_refused(runtime::TimePoint, const runtime::ConnectionKey&) override { ++refused; }
  void on_segment(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side,
                  ByteView) override {}
  void on_fin(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side) override {}
  void on_reset(runtime::TimePoint, const runtime::ConnectionKey&, runtime::Side) override {}
};

class HostLab {
 public:
  explicit HostLab(HostLabOptions options = {});
  ~HostLab();

  // One tgtadm command line (split at spaces) against the first or the second target.
  target::config::Reply tgtadm(std::string_view line, bool second = false);
  // Fails the test (and throws) when the line is refused.
  void configure(std::string_view line, bool second = false);

  // One iscsiadm command line (split at spaces, without the program name), run to its end.
  iscsiadm::Report iscsiadm(std::string_view line);
  // Several lines given at once: they queue and run in order; the reports in that order.
  std::vector<iscsiadm::Report> iscsiadm_all(const std::vector<std::string>& lines);
  bool run_until(const std::function<bool()>& done);

  InitiatorHost& host() { return *host_; }
  iscsiadm::MemoryFileStore& files() { return files_; }
  sim::Simulator& simulator() { return simulator_; }
  sim::Fabric& fabric() { return fabric_; }
  sim::Host& second_target_host() { return second_target_host_; }
  test::RecordingTraceSink& host_trace() { return host_trace_; }
  // TCP connects the fabric refused (no listener), over the lab's life.
  std::size_t refused_connects() const { return transport_.refused; }

 private:
  TransportCounter transport_;
  sim::Simulator simulator_;
  sim::Fabric fabric_;
  sim::Host& target_host_;
  sim::Host& second_target_host_;
  sim::Host& initiator_host_;
  runtime::SeededRng target_rng_;
  runtime::SeededRng host_rng_;
  test::RecordingTraceSink target_trace_;
  test::RecordingTraceSink host_trace_;
  target::server::StandardBackingStores backing_;
  std::unique_ptr<target::server::TargetServer> server_;
  std::unique_ptr<target::server::TargetServer> second_server_;
  std::unique_ptr<target::server::TgtadmService> tgtadm_;
  std::unique_ptr<target::server::TgtadmService> second_tgtadm_;
  iscsiadm::MemoryFileStore files_;
  std::unique_ptr<InitiatorHost> host_;
};

std::vector<std::string> split_words(std::string_view line);

// The tutorial's targets on the first target host: a disk open to all (two LUNs), a target
// bound to an address nobody has, a CHAP target (incoming labuser/labsecret123, outgoing
// tgtuser/tgtsecret456) and a target bound to the initiator's second address.
inline constexpr std::string_view kDisk = "iqn.2026-01.test.lab:disk";
inline constexpr std::string_view kPrivate = "iqn.2026-01.test.lab:private";
inline constexpr std::string_view kChap = "iqn.2026-01.test.lab:chap";
inline constexpr std::string_view kAcl = "iqn.2026-01.test.lab:acl";
void configure_targets(HostLab& lab);

// "[iface: IFACE, target: IQN, portal: 10.0.0.2,3260]" as iscsiadm prints it.
std::string bracket(std::string_view target, std::string_view iface = "default",
                    std::string_view portal = "10.0.0.2,3260");

// Expects exactly this exit code, stdout and stderr.
void expect_report(const iscsiadm::Report& report, int exit_code, std::string_view out,
                   std::string_view err);

}  // namespace iscsi::initiator::host::testing
