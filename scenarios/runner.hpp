#pragma once
// Runs one loaded Scenario in the simulator, or against a live target over real loopback
// sockets (RunOptions::live; docs/scenarios.md, Against a live target), and gives a verdict
// per step (docs/scenarios.md, The runner). The world is built from the scenario (hosts,
// links, the reference target configured by its tgtadm lines, one InitiatorHost per
// initiator with its own in-memory $ISCSIM_HOME), then the steps run in order on virtual time,
// each bounded by a virtual-time limit so a hung step fails with a sentence instead of
// hanging. Same scenario and seed: the same RunResult, field for field.
//
//   RunResult result = run_scenario(scenario, {.seed = 7, .profile = Profile::tgt});
//   for (const StepResult& step : result.steps) if (!step.passed) print(step.failures);
//
// How steps run:
// - `run:` iscsiadm lines go to the step's initiator (`on:`, or the only one) without the
//   program name; tgtadm lines go to the target's tgtadm service. Both bounded by
//   kRunStepLimit.
// - `io:` and `raw_pdu:` name a session by its target name (`target:`); without it the
//   initiator must hold exactly one session. Each transfer is one initiator::io::IoJob per
//   LUN of the step (several LUNs run at once), transfers one after another, bounded by
//   kIoStepLimit each. A verify that reads other data gives
//   data_verified false; any other failed transfer is a step failure.
// - `logout:` is `iscsiadm -m node -U all` (or `-T IQN -u` with a target), so its output and
//   exit code are iscsiadm's.
// - A run or logout step `on:` several initiators starts its iscsiadm line on each at once;
//   the exit code is the largest of theirs, the outputs theirs in order.
// - With RunOptions::capture_pcap a pcap::PcapRecorder watches the fabric from before the
//   first step to the end of the teardown; RunResult::pcap is the file.
// - `fault:` arms the fault (now, `at`, `after`, or at a PDU for connections opened later) and
//   the step ends at once; `wait:` lets its duration pass.
// - `raw_pdu:` writes one PDU on the session's connection (built from opcode and fields with
//   the negotiated digests, or hex as is) and watches the target's reaction for
//   kRawPduReactionLimit: its PDUs are the step's stdout, one line each, and a Reject's reason
//   is checked by `reject:`.
// - Login status: the last Login Response the initiator side received during the step.
//   Violations: the ids either side reported during the step. Session: after the step, the
//   step's initiator holds at least one session.
// - RunResult::pdus are the PDUs the initiators sent and received, as their TraceSink saw them.
// - Against a live target (RunOptions::live) the same steps run on the wall clock with the
//   kLive* bounds; addresses are mapped to loopback and back (LiveAddressMap); tgtadm lines go
//   to the admin command or are skipped, fault steps are skipped (StepResult::skipped, note).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/trace_sink.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios {

// A live target (`iscsim run --target iscsi://HOST[:PORT] --target-admin CMD`). The run
// replaces the simulated target by it: iscsiadm lines go to it over real sockets, with the
// scenario's portal addresses mapped to it; tgtadm lines go to `admin_command` (`sh -c` with
// the lines on stdin) or are skipped with a note; fault steps are skipped with a note.
struct LiveTarget {
  std::string host{};  // dotted IPv4 inside 127.0.0.0/8: the project sends traffic nowhere else
  std::uint16_t port = 3260;
  std::string admin_command{};  // empty: tgtadm lines are skipped
};

// `--target iscsi://HOST[:PORT]` (libiscsi's URL form without user, target or LUN) and
// `--target-admin CMD` as a LiveTarget; an error sentence for another URL or a HOST outside
// 127.0.0.0/8.
Result<LiveTarget> live_target_from_url(std::string_view url, std::string admin_command);

struct RunOptions {
  std::optional<std::uint64_t> seed{};  // overrides Scenario::seed
  std::optional<Profile> profile{};     // overrides TargetSpec::profile
  bool capture_pcap = false;          // fill RunResult::pcap
  std::optional<LiveTarget> live{};   // run against a live target instead of the simulator
};

// One PDU as the initiator side put it on or took it off the wire.
struct PduRecord {
  runtime::TimePoint at{};
  runtime::ConnectionKey connection;
  runtime::Direction direction = runtime::Direction::initiator_to_target;
  Bytes wire;

  bool operator==(const PduRecord&) const = default;
};

// What a step printed (run steps) or did (the other kinds), for reports.
struct StepOutput {
  int exit_code = 0;
  std::string out;
  std::string err;
  std::optional<std::uint16_t> login_status;  // the step's last Login Response on the wire
  std::vector<std::string> violations;        // ids seen by either side, in order, unique
  bool session_logged_in = false;             // after the step, on the step's initiator

  bool operator==(const StepOutput&) const = default;
};

struct StepResult {
  std::size_t index = 0;  // 1-based, as Step::index
  std::string label;      // Step::name, or the command line / action kind
  std::string kind;       // "run", "iscsid.conf", "io", "raw_pdu", "fault", "wait", "logout"
  bool passed = false;
  // Live runs: the step was not carried out (a fault needs the simulator; a tgtadm line without
  // an admin command). It passes, its expectations unchecked; `note` says why.
  bool skipped = false;
  std::string note;
  std::vector<std::string> failures;  // one sentence each: "expected exit 24, got 0"
  StepOutput output;
  runtime::TimePoint start{};
  runtime::TimePoint end{};
  std::size_t first_pdu = 0;  // [first_pdu, end_pdu) of RunResult::pdus
  std::size_t end_pdu = 0;

  bool operator==(const StepResult&) const = default;
};

struct RunResult {
  std::string scenario;
  std::uint64_t seed = 0;
  Profile profile = Profile::rfc;
  // Set when the world could not be built (a refused tgtadm line of the target block); then
  // no step ran and `passed` is false.
  std::string setup_error;
  // Live runs: what the setup left out, one sentence each ("the target block's 5 tgtadm lines
  // were not run: no admin command").
  std::vector<std::string> notes;
  std::vector<StepResult> steps;
  bool passed = false;
  std::vector<PduRecord> pdus;
  // Every frame between the scenario's hosts as a pcap file (pcap::PcapRecorder over the
  // fabric), when RunOptions::capture_pcap is set; empty otherwise.
  Bytes pcap;

  bool operator==(const RunResult&) const = default;
};

// Virtual-time bounds per step: a step still running at its bound fails ("step did not finish
// within 300s of virtual time").
inline constexpr runtime::Duration kRunStepLimit = std::chrono::seconds(300);
inline constexpr runtime::Duration kIoStepLimit = std::chrono::seconds(600);
inline constexpr runtime::Duration kLogoutStepLimit = std::chrono::seconds(120);
// A raw_pdu step watches the target's reaction (a Reject, a response with the PDU's ITT, a
// closed connection) for this long before it ends with "no answer".
inline constexpr runtime::Duration kRawPduReactionLimit = std::chrono::seconds(2);
// After the last step, time given to sessions and connections to close before the world goes.
inline constexpr runtime::Duration kTeardownLimit = std::chrono::seconds(30);

// Wall-clock bounds of a live run (RunOptions::live), shorter than the virtual ones: a real
// peer answers in milliseconds, and a hung one must not hold a CI job for long.
inline constexpr runtime::Duration kLiveRunStepLimit = std::chrono::seconds(60);
inline constexpr runtime::Duration kLiveIoStepLimit = std::chrono::seconds(300);
inline constexpr runtime::Duration kLiveLogoutStepLimit = std::chrono::seconds(60);
inline constexpr runtime::Duration kLiveRawPduReactionLimit = std::chrono::seconds(2);
inline constexpr runtime::Duration kLiveTeardownLimit = std::chrono::seconds(5);
// One run of the admin command (all the target block's lines, or one run step's line).
inline constexpr runtime::Duration kLiveAdminLimit = std::chrono::seconds(60);

RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace iscsi::scenarios
