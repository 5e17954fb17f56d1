#pragma once
// The simulated world of one scenario run: the simulator and fabric with the scenario's hosts
// and links, the reference target (configured by the scenario's tgtadm lines), and one
// InitiatorHost per initiator over its own MemoryFileStore. Members are declared in the order
// they must be built; the destructor closes sessions while the fabric still exists.
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/runtime/seeded_rng.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "initiator-impl/iscsiadm/file_store.hpp"
#include "pcap/pcap_recorder.hpp"
#include "scenarios/model.hpp"
#include "scenarios/run_trace.hpp"
#include "sim/fabric.hpp"
#include "sim/simulator.hpp"
#include "target-impl/server/backing_store_factory.hpp"
#include "target-impl/server/target_server.hpp"
#include "target-impl/server/tgtadm_service.hpp"

namespace iscsi::scenarios {

struct InitiatorNode {
  const InitiatorSpec* spec = nullptr;
  sim::Host* host = nullptr;
  std::unique_ptr<runtime::SeededRng> rng;
  initiator::iscsiadm::MemoryFileStore files;
  std::unique_ptr<initiator::host::InitiatorHost> iscsi;
};

class World {
 public:
  World(const Scenario& scenario, std::uint64_t seed, Profile profile);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Records every frame of the fabric from now on (RunOptions::capture_pcap). An error
  // sentence when the recorder cannot be opened.
  std::string start_capture();
  // The capture file, once teardown() has run; empty without start_capture().
  Result<Bytes> finish_capture();
  // Drops the initiators' sessions and lets their connections close (kTeardownLimit). The
  // destructor does it when the runner did not.
  void teardown();

  // Starts the target, runs the target's tgtadm lines and prepares the initiators' files and
  // ifaces. An error sentence naming the file position when something is refused.
  std::string setup();

  // Runs the simulator until `done` or until `limit` of virtual time has passed. An error
  // sentence when `done` did not become true.
  std::string run_until(const std::function<bool()>& done, runtime::Duration limit);
  // Lets `span` of virtual time pass.
  std::string run_for(runtime::Duration span);

  // One iscsiadm line (without the program name) on `node`, run to its end within `limit`.
  std::string iscsiadm(InitiatorNode& node, std::vector<std::string> args,
                       initiator::iscsiadm::Report& report, runtime::Duration limit);

  // The same line on several initiators at once, each with its own report; run until all
  // have ended or `limit` has passed.
  std::string iscsiadm_many(const std::vector<InitiatorNode*>& nodes,
                            const std::vector<std::string>& args,
                            std::vector<initiator::iscsiadm::Report>& reports,
                            runtime::Duration limit);

  sim::Simulator& simulator() { return simulator_; }
  sim::Fabric& fabric() { return fabric_; }
  sim::Host* host(std::string_view name);
  InitiatorNode* initiator(std::string_view name);
  target::server::TgtadmService& tgtadm() { return *tgtadm_; }
  const std::vector<runtime::Endpoint>& portals() const { return portals_; }
  RunTrace& initiator_trace() { return initiator_trace_; }
  RunTrace& target_trace() { return target_trace_; }
  runtime::TimePoint started() const { return started_; }

 private:
  void build_hosts();
  void build_links();
  void build_target(std::uint64_t seed, Profile profile);
  void build_initiators(std::uint64_t seed);
  std::string prepare_initiator(InitiatorNode& node);

  const Scenario& scenario_;
  sim::Simulator simulator_;
  sim::Fabric fabric_;
  std::unique_ptr<pcap::PcapRecorder> recorder_;
  bool torn_down_ = false;
  std::vector<std::pair<std::string, sim::Host*>> hosts_;
  RunTrace initiator_trace_{true};
  RunTrace target_trace_{false};
  std::unique_ptr<runtime::SeededRng> target_rng_;
  std::unique_ptr<target::server::StandardBackingStores> backing_;
  std::vector<runtime::Endpoint> portals_;
  std::unique_ptr<target::server::TargetServer> server_;
  std::unique_ptr<target::server::TgtadmService> tgtadm_;
  std::deque<InitiatorNode> initiators_;
  runtime::TimePoint started_{};
};

// Words of a command line without the program name ("iscsiadm", "tgtadm").
std::vector<std::string> arguments_of(const CommandLine& line);

}  // namespace iscsi::scenarios
