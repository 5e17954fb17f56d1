#pragma once
// The report model (issue 6, "Runner and outputs"): what one `iscsim run` produced, as plain
// values that every writer (JUnit XML, JSON, HTML, console) and `iscsim report merge` share.
// Nothing here knows about scenarios or the simulator: scenarios/ converts a RunResult into a
// ScenarioReport, so the writers can be tested with literal values.
//
// Determinism (docs/reports.md): a RunReport holds virtual times only, paths relative to the
// --out directory, and scenarios sorted by (name, seed); wall-clock figures live in Timings,
// which is written to its own file.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iscsi::reports {

// One PDU of the ladder diagram, as one side put it on the wire.
struct PduEntry {
  std::int64_t at_ns = 0;  // virtual time since the scenario started
  std::string from;        // host name of the sender
  std::string to;          // host name of the receiver
  std::string connection;  // "10.0.0.2:49152 -> 10.0.0.1:3260", initiator side first
  std::string opcode;      // "Login Request", as core/pdu/opcode.hpp names it
  std::string summary;     // core/pdu/describe.hpp's one-line summary
  std::uint64_t bytes = 0;

  bool operator==(const PduEntry&) const = default;
};

struct StepReport {
  std::size_t index = 0;              // 1-based
  std::string label;                  // the step's name, or its command line / action kind
  std::string kind;                   // "run", "iscsid.conf", "io", "raw_pdu", "fault", ...
  std::string source;                 // "tutorial.yaml:27:5", the step's place in its file
  bool passed = false;
  // Skipped in a live run (a target-configuring step with no --target-admin, a fault step): it
  // counts as passed, its expectations unchecked; `note` says why.
  bool skipped = false;
  std::string note;
  std::vector<std::string> failures;  // "expected exit 24, got 0", one sentence each
  int exit_code = 0;
  std::string out;                    // stdout of a run step (or what another kind did)
  std::string err;                    // stderr of a run step
  std::optional<std::uint16_t> login_status;  // class << 8 | detail
  std::vector<std::string> violations;        // ids, in order, unique
  std::int64_t start_ns = 0;                  // virtual times since the scenario started
  std::int64_t end_ns = 0;
  std::size_t first_pdu = 0;  // [first_pdu, end_pdu) of ScenarioReport::pdus
  std::size_t end_pdu = 0;
  // The PDU that decided the verdict (the last Login Response of a login, else the step's last
  // PDU), as an index into ScenarioReport::pdus; unset when the step saw no PDU.
  std::optional<std::size_t> deciding_pdu;

  bool operator==(const StepReport&) const = default;
};

struct ScenarioReport {
  std::string name;         // the scenario's name
  std::string file;         // scenario file as given (built-in ones: "builtin:<name>.yaml")
  std::uint64_t seed = 0;
  std::string profile;      // "rfc" or "tgt"
  bool passed = false;
  std::string setup_error;  // set when the world could not be built; then steps is empty
  // The live endpoint ("iscsi://127.0.0.1:3261") of a --target run; empty in the simulator.
  std::string target;
  std::vector<std::string> notes;  // what setup left out in a live run, one sentence each
  std::vector<std::string> hosts;  // host names, in scenario order (ladder columns)
  std::vector<StepReport> steps;
  std::vector<PduEntry> pdus;
  std::uint64_t pdus_dropped = 0;  // PDUs past the recording limit, counted only
  std::string pcap;                // path relative to --out ("pcap/<name>-seed<N>.pcap")
  std::int64_t duration_ns = 0;    // virtual time the scenario took
  // The exact command that reproduces this run ("iscsim run FILE --seed N --profile P").
  std::string reproduce;

  bool operator==(const ScenarioReport&) const = default;
};

struct RunReport {
  std::vector<ScenarioReport> scenarios;  // sorted by (name, seed, profile)

  std::size_t passed_count() const;
  std::size_t failed_count() const;
  bool operator==(const RunReport&) const = default;
};

// Sorts scenarios by (name, seed, profile): the order every writer emits, whatever --jobs was.
void sort_scenarios(RunReport& report);

// Wall-clock figures of one run, written to timings.json only (never to the reports above).
struct ScenarioTiming {
  std::string name;
  std::uint64_t seed = 0;
  std::string profile;
  double wall_seconds = 0;

  bool operator==(const ScenarioTiming&) const = default;
};

struct Timings {
  double wall_seconds = 0;  // the whole run
  unsigned jobs = 1;
  std::vector<ScenarioTiming> scenarios;  // sorted as RunReport::scenarios

  bool operator==(const Timings&) const = default;
};

}  // namespace iscsi::reports
