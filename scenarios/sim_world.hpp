#pragma once
// The simulated world of one scenario run: the simulator and fabric with the scenario's hosts
// and links, the reference target (configured by the scenario's tgtadm lines), and one
// InitiatorHost per initiator over its own MemoryFileStore. Members are declared in the order
// they must be built; the destructor closes sessions while the fabric still exists.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pcap/pcap_recorder.hpp"
#include "scenarios/run_world.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"

namespace iscsi::scenarios {

class SimWorld final : public World {
 public:
  SimWorld(const Scenario& scenario, std::uint64_t seed, Profile profile);
  ~SimWorld() override;

  std::string start_capture() override;
  Result<Bytes> finish_capture() override;
  // Drops the initiators' sessions and lets their connections close (kTeardownLimit).
  void teardown() override;
  std::string setup() override;

  runtime::TimePoint now() const override { return simulator_.now(); }
  runtime::Duration bound(StepBound kind) const override;
  std::string run_until(const std::function<bool()>& done, runtime::Duration limit) override;
  std::string run_for(runtime::Duration span) override;
  ActionOutcome tgtadm(const CommandLine& line) override;
  ActionOutcome fault(const FaultStep& fault) override;

  sim::Simulator& simulator() { return simulator_; }
  sim::Fabric& fabric() { return fabric_; }
  sim::Host* host(std::string_view name);
  const std::vector<runtime::Endpoint>& portals() const { return portals_; }
  runtime::TimePoint started() const { return started_; }

 private:
  void build_hosts();
  void build_links();
  void build_target(std::uint64_t seed, Profile profile);
  void build_initiators(std::uint64_t seed);
  // A target-host line: tgtadm, or truncate/dd (which only size a backing-store file).
  ActionOutcome run_target_line(const CommandLine& line);

  const Scenario& scenario_;
  sim::Simulator simulator_;
  sim::Fabric fabric_;
  std::unique_ptr<pcap::PcapRecorder> recorder_;
  bool torn_down_ = false;
  std::vector<std::pair<std::string, sim::Host*>> hosts_;
  std::unique_ptr<runtime::SeededRng> target_rng_;
  std::unique_ptr<target::server::StandardBackingStores> backing_;
  // Backing-store file path -> size: `lun_sizes`, then what truncate/dd lines made.
  std::map<std::string, std::uint64_t> file_sizes_;
  std::vector<runtime::Endpoint> portals_;
  std::unique_ptr<target::server::TargetServer> server_;
  std::unique_ptr<target::server::TgtadmService> tgtadm_;
  runtime::TimePoint started_{};
};

// Arms a fault step's fault on the fabric (now, at a time, or at a PDU). An error sentence
// when the fault names nothing that exists.
std::string arm_fault(SimWorld& world, const FaultStep& fault);

}  // namespace iscsi::scenarios
