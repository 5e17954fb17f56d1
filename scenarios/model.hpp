#pragma once
// The scenario model (docs/scenarios.md): what one YAML scenario file says, as plain values. The
// loader (scenarios/loader.hpp) fills it and has already checked every cross-reference (hosts,
// initiators, portals), unit and range, so the runner can trust it. Field names follow the YAML
// keys; every entry keeps the position of its YAML node so the runner can cite the file in its
// reports ("chap.yaml:27:5: step 4 expected exit 24, got 0").
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"

namespace iscsi::scenarios {

struct SourcePos {
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based
};

// Quirk profiles of the reference target (DESIGN.md, Quirk profiles).
enum class Profile : std::uint8_t { rfc, tgt };
std::string_view to_string(Profile profile);

enum class HostRole : std::uint8_t { target, initiator };

struct HostSpec {
  std::string name;
  std::vector<std::uint32_t> ipv4;  // host byte order, at least one; the first is the primary
  HostRole role = HostRole::initiator;
  SourcePos at;
};

// A link's shape (sim::LinkParams). `between` is empty for the default link.
struct LinkSpec {
  std::string name;
  std::vector<std::string> between;  // two host names, or empty for `default`
  runtime::Duration latency{0};
  runtime::Duration jitter{0};
  std::uint64_t bandwidth_bps = 0;     // 0: unlimited
  std::uint32_t segment_bytes = 1460;  // largest segment payload (mss)
  std::uint32_t min_segment_bytes = 1;
  SourcePos at;
};

// One tgtadm command line exactly as typed, with its words split the way a shell would.
struct CommandLine {
  std::string text;
  std::vector<std::string> words;  // words[0] is the program ("tgtadm", "iscsiadm")
  SourcePos at;
};

struct TargetSpec {
  std::string host;
  Profile profile = Profile::rfc;
  std::vector<runtime::Endpoint> portals;  // default: the host's first address, port 3260
  std::vector<CommandLine> tgtadm;         // the `tgtadm:` block, one entry per non-blank line
  // Backing-store paths named by the tgtadm lines -> the size of the in-memory LUN behind them.
  std::map<std::string, std::uint64_t> lun_sizes;
  SourcePos at;
};

struct IfaceSpec {
  std::string name;
  std::map<std::string, std::string> settings;  // iface.* keys
};

struct InitiatorSpec {
  std::string name;  // how steps refer to it (`on:`); defaults to the host name
  std::string host;
  std::string initiatorname;
  std::map<std::string, std::string> iscsid_conf;  // settings written before the first step
  std::vector<IfaceSpec> ifaces;
  SourcePos at;
};

// ---- Steps -------------------------------------------------------------------------------

// `run:` an iscsiadm line (on an initiator host) or a tgtadm line (on the target host).
struct RunStep {
  CommandLine command;
};

// `iscsid.conf:` settings to write into the initiator's iscsid.conf (value "" removes one).
struct ConfEditStep {
  std::map<std::string, std::string> settings;
};

enum class IoOpKind : std::uint8_t { write, read, verify };

struct IoOp {
  IoOpKind kind = IoOpKind::write;
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;    // 0: up to the end of the LU
  std::uint64_t pattern = 0;  // write/verify pattern seed (defaults to the scenario seed)
};

// `io:` SCSI transfers on one LUN of a logged-in session (initiator::io::IoJob).
struct IoStep {
  std::uint64_t lun = 0;  // the first (or only) LUN
  // Every LUN the step runs on (`lun: [1, 2, 3]`), `lun` first: each transfer runs on all of
  // them at once, one IoJob per LUN, and ends when the last one does.
  std::vector<std::uint64_t> luns;
  std::string target;  // the session's target name; empty: the initiator's only session
  std::uint32_t block_bytes = 64 * 1024;
  unsigned queue_depth = 16;
  std::vector<IoOp> ops;  // in document order; run one after another
};

// `raw_pdu:` one PDU sent as is on the initiator's connection, for negative tests. Either
// `hex` (the whole PDU) or `opcode` + `fields` (+ `data`), built by the runner.
struct RawPduStep {
  Bytes hex;
  std::optional<std::uint8_t> opcode;
  std::map<std::string, std::uint64_t> fields;  // names from raw_pdu_field_names()
  Bytes data;
  std::string target;  // session selection, as IoStep::target
};

enum class FaultKind : std::uint8_t {
  stall,           // between, duration: nothing crosses for a while
  partition,       // between
  heal,            // between
  host_down,       // host
  host_up,         // host
  delay,           // from, to, duration: extra one-way delay
  reset,           // between (every connection), or at a PDU
  corrupt,         // at a PDU: XOR `mask` into `byte`
  close_listener,  // portal
};
std::string_view to_string(FaultKind kind);

enum class PduSender : std::uint8_t { initiator, target };

// "The Nth PDU with this opcode sent by this side, on every connection established after the
// fault step" (sim::PduFault).
struct PduTrigger {
  PduSender sender = PduSender::target;
  int opcode = -1;  // -1: any opcode
  std::uint32_t nth = 1;
};

struct FaultStep {
  FaultKind kind = FaultKind::stall;
  std::vector<std::string> between;         // two host names (stall, partition, heal, reset)
  std::string host;                         // host_down, host_up
  std::string from, to;                     // delay
  runtime::Duration duration{0};            // stall, delay
  std::optional<runtime::Endpoint> portal;  // close_listener
  // When: `at` (virtual time since the scenario started), `after` (since this step), a PDU,
  // or (none of them) at once.
  std::optional<runtime::Duration> at;
  std::optional<runtime::Duration> after;
  std::optional<PduTrigger> pdu;
  std::uint32_t byte = 0;    // corrupt
  std::uint8_t mask = 0xff;  // corrupt
};

struct WaitStep {
  runtime::Duration duration{0};
};

// `logout:` the initiator's sessions (all of them, or those to `target`).
struct LogoutStep {
  std::string target;
};

using StepAction =
    std::variant<RunStep, ConfEditStep, IoStep, RawPduStep, FaultStep, WaitStep, LogoutStep>;

enum class SessionExpect : std::uint8_t { logged_in, absent };

// What a step must produce; every field is optional (unset: not checked).
struct Expect {
  std::optional<int> exit_code;
  std::optional<std::string> stdout_exact;
  std::vector<std::string> stdout_contains;
  std::optional<std::string> stderr_exact;
  std::vector<std::string> stderr_contains;
  std::optional<std::uint16_t> login_status;           // class << 8 | detail, as on the wire
  std::optional<std::vector<std::string>> discovered;  // target names, in any order
  std::optional<bool> data_verified;
  // io steps: a transfer fails and its sentence contains this text (then the failure is the
  // step's expected outcome instead of a step failure).
  std::optional<std::string> io_error;
  bool no_violations = false;  // `violations: none`
  std::vector<std::string> violations_required;
  std::vector<std::string> violations_forbidden;
  std::optional<SessionExpect> session;
  // raw_pdu steps: the Reason of the Reject the target answered with (RFC 7143 §11.17.1).
  std::optional<std::uint8_t> reject_reason;
  SourcePos at;
};

struct Step {
  std::size_t index = 0;  // 1-based, as error messages and reports count
  std::string name;       // optional label
  std::string on;         // initiator name (empty for target-side and fault/wait steps)
  // `on: [a, b, ...]` or `on: all`: the initiators that run the step at once (run and logout
  // steps); `on` is then empty.
  std::vector<std::string> on_many;
  StepAction action;
  Expect expect;                             // every profile
  std::map<Profile, Expect> profile_expect;  // `expect_rfc:` / `expect_tgt:` overrides
  SourcePos at;
};

// The expectation that applies under `profile`: `expect`, with every field that the profile's
// override sets replaced by the override's value.
Expect expectation_for(const Step& step, Profile profile);

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::vector<HostSpec> hosts;
  std::optional<LinkSpec> default_link;
  std::vector<LinkSpec> links;
  TargetSpec target;
  std::vector<InitiatorSpec> initiators;
  std::vector<Step> steps;
  // `profiles:` the profiles the scenario runs under by default; [target.profile] when absent.
  std::vector<Profile> profiles;

  const HostSpec* host(std::string_view name) const;
  const InitiatorSpec* initiator(std::string_view name) const;
};

// Field names a `raw_pdu:` `fields:` map accepts (docs/scenarios.md), sorted.
const std::vector<std::string_view>& raw_pdu_field_names();

}  // namespace iscsi::scenarios
