#pragma once
// The world of a live run (RunOptions::live; docs/scenarios.md, Against a live target): one
// InitiatorHost per scenario initiator on core/asio's AsioRuntime, over real loopback sockets to
// the live target, on the wall clock. Each initiator has its own in-memory $ISCSIM_HOME and
// connects from its host's loopback address (LiveAddressMap). tgtadm lines go to the admin
// command (live_admin.hpp) or are skipped with a note; faults are skipped with a note.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/asio/runtime.hpp"
#include "pcap/pcap_recorder.hpp"
#include "scenarios/live_address_map.hpp"
#include "scenarios/run_world.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios {

// How often a live run looks at a step's condition while the event loop runs.
inline constexpr runtime::Duration kLivePollSlice = std::chrono::milliseconds(5);

// The live endpoint LiveTarget names, or why it is refused (not an IPv4 address, outside
// 127.0.0.0/8, port 0).
Result<runtime::Endpoint> live_endpoint(const LiveTarget& target);

class LiveWorld final : public World {
 public:
  static Result<std::unique_ptr<LiveWorld>> create(const Scenario& scenario,
                                                   const LiveTarget& target);
  ~LiveWorld() override;

  std::string start_capture() override;
  Result<Bytes> finish_capture() override;
  void teardown() override;
  // Hands the target block's tgtadm lines to the admin command (a failure stops the run with
  // its output), then prepares the initiators.
  std::string setup() override;
  std::vector<std::string> notes() const override { return notes_; }

  runtime::TimePoint now() const override;
  runtime::Duration bound(StepBound kind) const override;
  std::string run_until(const std::function<bool()>& done, runtime::Duration limit) override;
  std::string run_for(runtime::Duration span) override;
  ActionOutcome tgtadm(const CommandLine& line) override;
  ActionOutcome fault(const FaultStep& fault) override;

 protected:
  std::vector<std::string> map_arguments(std::vector<std::string> args) const override {
    return map_.map_words(std::move(args));
  }
  void map_report(initiator::iscsiadm::Report& report) const override;

 private:
  LiveWorld(const Scenario& scenario, const LiveTarget& target, LiveAddressMap map);
  // The line as written, each address word mapped.
  std::string mapped_line(const CommandLine& line) const;

  const Scenario& scenario_;
  LiveTarget target_;
  LiveAddressMap map_;
  asio::AsioRuntime runtime_;
  runtime::Clock* clock_;
  std::unique_ptr<pcap::PcapRecorder> recorder_;
  std::deque<std::unique_ptr<runtime::Network>> networks_;  // one per initiator
  std::vector<std::string> notes_;
  bool torn_down_ = false;
};

}  // namespace iscsi::scenarios
