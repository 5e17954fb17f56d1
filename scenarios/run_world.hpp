#pragma once
// The world a scenario's steps act on, as the step code sees it (run_step_action.cpp,
// run_raw_pdu.cpp, runner.cpp): time, the initiators, the traces, tgtadm lines and faults.
// Two implementations: SimWorld (scenarios/sim_world.hpp: the simulator, its fabric and the
// reference target) and LiveWorld (scenarios/live_world.hpp: real loopback sockets to a live
// target, on the wall clock). Each keeps one InitiatorHost per scenario initiator over its own
// in-memory $ISCSIM_HOME.
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/common/result.hpp"
#include "core/runtime/seeded_rng.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "initiator-impl/iscsiadm/file_store.hpp"
#include "scenarios/model.hpp"
#include "scenarios/run_trace.hpp"

namespace iscsi::scenarios {

struct InitiatorNode {
  const InitiatorSpec* spec = nullptr;
  std::unique_ptr<runtime::SeededRng> rng;  // simulated runs; live runs use the OS generator
  initiator::iscsiadm::MemoryFileStore files;
  std::unique_ptr<initiator::host::InitiatorHost> iscsi;
};

// The kinds of step bound (runner.hpp: kRunStepLimit ... in the simulator, kLiveRunStepLimit
// ... against a live target).
enum class StepBound : std::uint8_t { run, io, logout, raw_pdu_reaction };

// What a tgtadm line or a fault step came to. `skipped` set: it was not carried out, and says
// why (a skipped step passes with its expectations unchecked).
struct ActionOutcome {
  int exit_code = 0;
  std::string out{};
  std::string err{};
  std::string error{};  // the action could not be done (a fault naming no such host)
  std::string skipped{};
};

class World {
 public:
  virtual ~World() = default;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Records every frame from now on (RunOptions::capture_pcap). An error sentence when the
  // recorder cannot be opened.
  virtual std::string start_capture() = 0;
  // The capture file, once teardown() has run; empty without start_capture().
  virtual Result<Bytes> finish_capture() = 0;
  // Drops the initiators' sessions and lets their connections close. The destructor does it
  // when the runner did not.
  virtual void teardown() = 0;
  // Starts or configures the target (its tgtadm lines) and prepares the initiators' files and
  // ifaces. An error sentence naming the file position when something is refused.
  virtual std::string setup() = 0;
  // What setup() left out, one sentence each (RunResult::notes).
  virtual std::vector<std::string> notes() const { return {}; }

  virtual runtime::TimePoint now() const = 0;
  virtual runtime::Duration bound(StepBound kind) const = 0;
  // Runs until `done` or until `limit` has passed. An error sentence when `done` did not
  // become true.
  virtual std::string run_until(const std::function<bool()>& done, runtime::Duration limit) = 0;
  // Lets `span` pass.
  virtual std::string run_for(runtime::Duration span) = 0;

  // A target-host line of a `run:` step, its program word included: tgtadm, or truncate/dd
  // (scenarios/file_commands.hpp), which size a backing-store file.
  virtual ActionOutcome tgtadm(const CommandLine& line) = 0;
  // Arms a fault step's fault (run_fault.cpp), or skips it.
  virtual ActionOutcome fault(const FaultStep& fault) = 0;

  // One iscsiadm line (without the program name) on `node`, run to its end within `limit`.
  std::string iscsiadm(InitiatorNode& node, std::vector<std::string> args,
                       initiator::iscsiadm::Report& report, runtime::Duration limit);
  // The same line on several initiators at once, each with its own report; run until all
  // have ended or `limit` has passed.
  std::string iscsiadm_many(const std::vector<InitiatorNode*>& nodes,
                            const std::vector<std::string>& args,
                            std::vector<initiator::iscsiadm::Report>& reports,
                            runtime::Duration limit);

  InitiatorNode* initiator(std::string_view name);
  RunTrace& initiator_trace() { return initiator_trace_; }
  RunTrace& target_trace() { return target_trace_; }

 protected:
  World() = default;
  // How a live run rewrites an iscsiadm line's addresses before it runs, and its report after
  // (LiveAddressMap); the simulator leaves both as they are.
  virtual std::vector<std::string> map_arguments(std::vector<std::string> args) const {
    return args;
  }
  virtual void map_report(initiator::iscsiadm::Report&) const {}
  // Sets up one initiator's iscsid.conf and ifaces, as a student does; `where` names its
  // scenario position.
  std::string prepare_initiator(InitiatorNode& node, const std::string& where,
                                runtime::Duration limit);

  RunTrace initiator_trace_{true};
  RunTrace target_trace_{false};
  // Derived destructors reset every InitiatorNode::iscsi (teardown) while their runtime exists.
  std::deque<InitiatorNode> initiators_;
};

// Words of a command line without the program name ("iscsiadm", "tgtadm").
std::vector<std::string> arguments_of(const CommandLine& line);

// "file:line:column" of a scenario position.
std::string scenario_position(const Scenario& scenario, const SourcePos& at);

}  // namespace iscsi::scenarios
