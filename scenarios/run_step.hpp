#pragma once
// One step of a run: carrying out its action in the World (run_step_action.cpp, run_fault.cpp)
// and comparing what happened with its expectation (run_expect.cpp).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pdu/codec.hpp"
#include "scenarios/model.hpp"
#include "scenarios/run_world.hpp"
#include "scenarios/runner.hpp"

namespace iscsi::scenarios {

// What a step did, beyond StepOutput.
struct StepRun {
  StepOutput output;
  // The step could not do what it says (a bound reached, no session, a refused line that is
  // not a run step's outcome): each sentence is a failure whatever the expectation.
  std::vector<std::string> errors;
  std::optional<bool> data_verified;                   // io steps with a verify
  // io steps: transfers that failed (other than a verify that read other data), one sentence
  // each; step failures unless the expectation's io_error names one.
  std::vector<std::string> io_failures;
  std::optional<std::vector<std::string>> discovered;  // discovery run steps
  std::optional<std::uint8_t> reject_reason;           // raw_pdu steps: the target's Reject
  // Set when the step was not carried out (StepResult::skipped): why.
  std::string skipped;
};

// What a built raw PDU takes from the session's connection when `fields` does not say.
struct RawPduContext {
  std::uint32_t cmd_sn = 0;       // the session's next CmdSN
  std::uint32_t exp_stat_sn = 0;  // the session's ExpStatSN
  pdu::DigestOptions digests;     // appended as the connection negotiated them
};

// The PDU a raw_pdu step sends: `hex` as is, or the BHS built from `opcode` and `fields`
// (DataSegmentLength from `data` unless given), with the connection's digests and padding.
Bytes build_raw_pdu(const RawPduStep& step, const RawPduContext& context);
void run_raw_pdu(World& world, InitiatorNode* node, const RawPduStep& step, StepRun& run);

// The session an io or raw_pdu step uses: the one to `target`, or the initiator's only
// session; null with `error` set otherwise.
std::shared_ptr<initiator::client::Session> pick_session(InitiatorNode& node,
                                                         const std::string& target,
                                                         std::string& error);

// The initiator a step acts on: `on`, or the only initiator.
InitiatorNode* initiator_of(World& world, const Scenario& scenario, const Step& step);

StepRun execute_step(World& world, const Scenario& scenario, const Step& step);

// One failure sentence per unmet field of `expect`.
std::vector<std::string> check_expectation(const Expect& expect, const StepRun& run);

// "run", "iscsid.conf", "io", ... as the YAML key.
std::string_view kind_name(const StepAction& action);

}  // namespace iscsi::scenarios
