#pragma once
// One tgtadm invocation, parsed the way tgt 1.0.85's tgtadm parses its command line
// (usr/tgtadm.c: getopt_long, then the per-mode option checks). Parsing needs no daemon: it
// yields either a Request to execute against the target's configuration, or the Reply that
// tgtadm itself prints without contacting tgtd (usage errors, --help, --version).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::target::config {

// What a tgtadm run prints and returns: stdout text, stderr text ("tgtadm: <message>\n"), exit
// status (0; 22 = EINVAL for usage errors and every daemon-side refusal; 1 for an unknown mode
// or operation; 107 = ENOTCONN when no daemon answers).
struct Reply {
  std::string out;
  std::string err;
  int exit_code = 0;

  bool operator==(const Reply&) const = default;
};

inline constexpr int exit_einval = 22;
inline constexpr int exit_unknown_mode_or_op = 1;
inline constexpr int exit_no_daemon = 107;

// --mode: tgtadm's names and short names (system|sys, target|tgt, logicalunit|lu,
// portal|pt, session|sess, connection|conn, account, lld).
enum class Mode : std::uint8_t { system, target, logicalunit, portal, session, connection,
                                 account, lld };
// --op: new, delete, bind, unbind, show, update, stat, start, stop.
enum class Op : std::uint8_t { new_, delete_, bind, unbind, show, update, stat, start, stop };

std::string_view to_string(Mode mode);
std::string_view to_string(Op op);

struct Request {
  Mode mode = Mode::target;
  Op op = Op::show;
  std::string lld;     // --lld as given; empty when absent
  std::int32_t tid = -1;  // --tid; -1 when absent (tgtadm's "no tid")
  bool tid_global = false;  // account bind/unbind without --tid: the discovery (global) target
  std::optional<std::uint64_t> lun;
  std::uint64_t sid = 0;
  std::uint32_t cid = 0;
  std::uint32_t host_no = 0;
  std::optional<std::string> name;   // --name
  std::optional<std::string> value;  // --value
  std::optional<std::string> backing_store;
  std::optional<std::string> bstype;
  std::optional<std::string> bsopts;
  std::optional<std::string> bsoflags;
  std::optional<std::string> blocksize;
  std::optional<std::string> targetname;
  std::optional<std::string> initiator_address;
  std::optional<std::string> initiator_name;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> params;  // --params (given before or without --mode portal)
  std::optional<std::string> portal_params;  // --params after --mode portal, as tgtadm splits them
  std::string device_type = "disk";   // --device-type
  bool force = false;
  bool outgoing = false;
  bool debug = false;
  std::uint16_t control_port = 0;  // -C/--control-port (0: the default instance)

  bool operator==(const Request&) const = default;
};

struct ParsedCommand {
  std::optional<Request> request;  // set: send it to the daemon (or execute it in process)
  Reply reply;                     // meaningful when `request` is empty
  // -C/--control-port as far as it was read, also when parsing failed later, so that a front
  // end that forwards raw arguments knows which instance to contact.
  std::uint16_t control_port = 0;
};

// `args` are the arguments after the program name, exactly as tgtadm receives them.
ParsedCommand parse_tgtadm(std::span<const std::string> args);

// What tgtadm prints when no tgtd listens on the control port (exit 107).
Reply no_daemon_reply();

// tgtadm --help text (stdout, exit 0), with tgt's version string.
std::string tgtadm_usage_text();
inline constexpr std::string_view tgtadm_version = "1.0.85";

}  // namespace iscsi::target::config
