#include "initiator-impl/iscsiadm/command.hpp"

#include <fmt/format.h>

#include <array>

#include "core/cli/c_numbers.hpp"
#include "core/cli/getopt.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

using cli::ArgKind;
using cli::c_atoi;
using cli::LongOption;
using cli::OptionEvent;

// Bound on the getopt events of one command line, checked between arguments (each argument
// yields at most its length).
constexpr std::size_t kMaxEvents = 4096;

constexpr std::string_view kShortOptions = "RlDVhm:a:b:c:C:p:P:T:H:i:I:U:k:L:d:r:n:v:o:sSt:ux:A:";

// iscsiadm's long_options[] in its order (the order shows in glibc's ambiguity message).
constexpr std::array<LongOption, 30> kLongOptions{{
    {"mode", ArgKind::required, 'm'},      {"portal", ArgKind::required, 'p'},
    {"targetname", ArgKind::required, 'T'}, {"interface", ArgKind::required, 'I'},
    {"op", ArgKind::required, 'o'},        {"type", ArgKind::required, 't'},
    {"name", ArgKind::required, 'n'},      {"value", ArgKind::required, 'v'},
    {"host", ArgKind::required, 'H'},      {"sid", ArgKind::required, 'r'},
    {"rescan", ArgKind::none, 'R'},        {"print", ArgKind::required, 'P'},
    {"discover", ArgKind::none, 'D'},      {"login", ArgKind::none, 'l'},
    {"loginall", ArgKind::required, 'L'},  {"logout", ArgKind::none, 'u'},
    {"logoutall", ArgKind::required, 'U'}, {"stats", ArgKind::none, 's'},
    {"killiscsid", ArgKind::required, 'k'}, {"debug", ArgKind::required, 'd'},
    {"show", ArgKind::none, 'S'},          {"version", ArgKind::none, 'V'},
    {"help", ArgKind::none, 'h'},          {"submode", ArgKind::required, 'C'},
    {"ip", ArgKind::required, 'a'},        {"packetsize", ArgKind::required, 'b'},
    {"count", ArgKind::required, 'c'},     {"interval", ArgKind::required, 'i'},
    {"index", ArgKind::required, 'x'},     {"portal_type", ArgKind::optional, 'A'},
}};

constexpr std::string_view kTryHelp = "Try `iscsiadm --help' for more information.\n";

constexpr std::string_view kUsage =
    "iscsiadm -m discoverydb [ -hV ] [ -d debug_level ] [-P printlevel] [ -t type -p ip:port "
    "-I ifaceN ... [ -Dl ] ] | [ [ -p ip:port -t type] [ -o operation ] [ -n name ] "
    "[ -v value ] [ -lD ] ] \n"
    "iscsiadm -m discovery [ -hV ] [ -d debug_level ] [-P printlevel] [ -t type -p ip:port "
    "-I ifaceN ... [ -l ] ] | [ [ -p ip:port ] [ -l | -D ] ] [ -Iall ] \n"
    "iscsiadm -m node [ -hV ] [ -d debug_level ] [ -P printlevel ] [ -L all,manual,automatic,"
    "onboot ] [ -U all,manual,automatic,onboot ] [ -S ] [ [ -T targetname -p ip:port -I ifaceN ]"
    " [ -l | -u | -R | -s] ] [ [ -o  operation  ] [ -n name ] [ -v value ] ]\n"
    "iscsiadm -m session [ -hV ] [ -d debug_level ] [ -P  printlevel] [ -r sessionid | sysfsdir "
    "[ -R | -u | -s ] [ -o operation ] [ -n name ] [ -v value ] ]\n"
    "iscsiadm -m iface [ -hV ] [ -d debug_level ] [ -P printlevel ] [ -I ifacename | -H "
    "hostno|MAC ] [ [ -o  operation  ] [ -n name ] [ -v value ] ] [ -C ping [ -a ip ] "
    "[ -b packetsize ] [ -c count ] [ -i interval ] ]\n"
    "iscsiadm -m fw [ -d debug_level ] [ -l ] [ -W ] [ -P printlevel ] [ -x ]\n"
    "iscsiadm -m host [ -P printlevel ] [ -H hostno|MAC ] [ [ -C chap [ -x chap_tbl_idx ] ] | "
    "[ -C flashnode [ -A portal_type ] [ -x flashnode_idx ] ] | [ -C stats ] ] [ [ -o operation "
    "] [ -n name ] [ -v value ] ] \n"
    "iscsiadm -k priority\n";

std::optional<Mode> mode_from(std::string_view s) {
  if (s == "discovery") return Mode::discovery;
  if (s == "discoverydb") return Mode::discoverydb;
  if (s == "node") return Mode::node;
  if (s == "session") return Mode::session;
  if (s == "iface") return Mode::iface;
  if (s == "fw") return Mode::fw;
  if (s == "host") return Mode::host;
  return std::nullopt;
}

std::optional<DiscoveryType> type_from(std::string_view s) {
  if (s == "sendtargets" || s == "st") return DiscoveryType::sendtargets;
  if (s == "slp") return DiscoveryType::slp;
  if (s == "isns") return DiscoveryType::isns;
  if (s == "fw") return DiscoveryType::fw;
  return std::nullopt;
}

unsigned op_from(std::string_view s) {
  if (s == "new") return op_new;
  if (s == "delete") return op_delete;
  if (s == "update") return op_update;
  if (s == "show") return op_show;
  if (s == "nonpersistent") return op_nonpersistent;
  if (s == "apply") return op_apply;
  if (s == "applyall") return op_apply_all;
  return op_noop;
}

// -r takes a session id or a sysfs path ending in "sessionN" (iscsi_sysfs_get_sid_from_path).
std::optional<int> sid_from(std::string_view s) {
  std::size_t at = s.rfind("session");
  std::string_view digits = at == std::string_view::npos ? s : s.substr(at + 7);
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return c_atoi(digits);
}

ParsedCommand finish(ParsedCommand parsed, int code) {
  parsed.run = false;
  parsed.exit_code = code;
  return parsed;
}

ParsedCommand refuse(ParsedCommand parsed, std::string_view message) {
  parsed.err += fmt::format("iscsiadm: {}\n", message);
  return finish(std::move(parsed), exit_code(ErrorCode::inval));
}

struct LoopState {
  std::optional<Mode> mode;
  std::optional<std::string> name;
  std::optional<std::string> value;
  char optopt = 0;
};

// The options whose argument iscsiadm checks at once; false when the run ends there.
bool apply_checked_option(const OptionEvent& ev, ParsedCommand& parsed) {
  Request& rq = parsed.request;
  const std::string arg = ev.argument.value_or("");
  switch (ev.code) {
    case 'k':
      rq.kill_priority = c_atoi(arg);
      if (*rq.kill_priority >= 0) return true;
      parsed = refuse(std::move(parsed),
                      fmt::format("Invalid killiscsid priority {} Priority must be greater than "
                                  "or equal to zero.",
                                  *rq.kill_priority));
      return false;
    case 'o':
      rq.ops |= op_from(arg);
      if (rq.ops != op_noop) return true;
      parsed = refuse(std::move(parsed), fmt::format("can not recognize operation: '{}'", arg));
      return false;
    case 'r':
      rq.sid = sid_from(arg);
      if (rq.sid) return true;
      parsed = refuse(std::move(parsed), fmt::format("invalid sid '{}'", arg));
      return false;
    case 'I':
      if (!arg.empty() && arg.size() <= kMaxIfaceNameLen) {
        rq.ifaces.push_back(arg);
        return true;
      }
      // iscsiadm prints this one on stdout.
      parsed.out += fmt::format("Invalid iface name {}. Must be from 1 to {} characters.\n", arg,
                                kMaxIfaceNameLen);
      parsed = finish(std::move(parsed), exit_code(ErrorCode::inval));
      return false;
    case 'V':
      parsed.out += fmt::format("iscsiadm version {}\n", kVersion);
      parsed = finish(std::move(parsed), 0);
      return false;
    case 'h':
      parsed.out += kUsage;
      parsed = finish(std::move(parsed), 0);
      return false;
    default: return true;
  }
}

// The options that only record their argument.
void apply_plain_option(const OptionEvent& ev, LoopState& st, Request& rq) {
  const std::string arg = ev.argument.value_or("");
  switch (ev.code) {
    case 't': rq.type = type_from(arg); break;
    case 'n': st.name = arg; break;
    case 'v': st.value = arg; break;
    case 'H': rq.host = arg; break;
    case 'R': rq.rescan = true; break;
    case 'P': rq.print_level = c_atoi(arg); break;
    case 'D': rq.discover = true; break;
    case 'l': rq.login = true; break;
    case 'u': rq.logout = true; break;
    case 'U': rq.logout_all = arg; break;
    case 'L': rq.login_all = arg; break;
    case 's': rq.stats = true; break;
    case 'S': rq.show = true; break;
    case 'd': rq.debug_level = c_atoi(arg); break;
    case 'm': st.mode = mode_from(arg); break;
    case 'T': rq.targetname = arg; break;
    case 'p': rq.portal = parse_portal_arg(arg); break;
    default:
      // -C, -a, -b, -c, -i, -x, -A (ping, CHAP and flashnode submodes) are accepted and not
      // modelled.
      break;
  }
}

// One getopt_long() return, as main()'s switch handles it. Returns false when the run ends.
bool apply_event(const OptionEvent& ev, LoopState& st, ParsedCommand& parsed) {
  if (ev.code == '?') {
    parsed.err += fmt::format("iscsiadm: {}\n", ev.error);
    st.optopt = ev.optopt;
  } else if (!apply_checked_option(ev, parsed)) {
    return false;
  } else {
    apply_plain_option(ev, st, parsed.request);
  }
  // A -n/-v pair becomes a parameter as soon as both halves are there.
  if (st.name && st.value) {
    parsed.request.params.emplace_back(std::move(*st.name), std::move(*st.value));
    st.name.reset();
    st.value.reset();
  }
  return true;
}

struct ModeRule {
  std::string_view allowed;
  std::string_view message;  // with {} for the option letter
  bool skip_m;
};

ModeRule mode_rule(Mode mode) {
  switch (mode) {
    case Mode::discovery:
    case Mode::discoverydb:
      return {"DSIPdmntplov", "discovery mode: option '-{}' is not allowed/supported", false};
    case Mode::node:
      return {"RsPIdmlSonvupTUL", "node mode: option '-{}' is not allowed/supported", false};
    case Mode::session:
      return {"PiRdrmusonuSv", "session mode: option '-{}' is not allowed or supported", true};
    case Mode::iface:
      return {"HIdnvmPoCabci", "iface mode: option '-{}' is not allowed/supported", false};
    case Mode::fw: return {"ml", "fw mode: option '-{}' is not allowed/supported", false};
    case Mode::host:
      return {"CHdmPotnvxA", "host mode: option '-{}' is not allowed/supported", false};
  }
  return {"", "", false};
}

// verify_mode_params(): getopt runs over argv a second time (printing its complaints again)
// and the first option outside the mode's list ends the command.
bool verify_mode(const std::vector<OptionEvent>& events, Mode mode, ParsedCommand& parsed) {
  ModeRule rule = mode_rule(mode);
  for (const OptionEvent& ev : events) {
    if (ev.code == '?') parsed.err += fmt::format("iscsiadm: {}\n", ev.error);
    if (rule.allowed.find(ev.code) != std::string_view::npos) continue;
    if (ev.code == 'm' && rule.skip_m) continue;
    parsed = refuse(std::move(parsed), fmt::format(fmt::runtime(rule.message), ev.code));
    return false;
  }
  return true;
}

bool startup_word_ok(std::string_view word, bool allow_onboot) {
  return word == "automatic" || word == "all" || word == "manual" ||
         (allow_onboot && word == "onboot");
}

// Checks exec_node_op() and the session branch make before touching anything.
bool check_mode_semantics(ParsedCommand& parsed) {
  Request& rq = parsed.request;
  auto usage_error = [&](std::string message) {
    parsed.err += fmt::format("iscsiadm: {}\n{}", message, kTryHelp);
    parsed = finish(std::move(parsed), exit_code(ErrorCode::inval));
    return false;
  };
  if (rq.mode == Mode::node && rq.login_all && !startup_word_ok(*rq.login_all, true)) {
    return usage_error(fmt::format("Invalid loginall option {}.", *rq.login_all));
  }
  if (rq.mode == Mode::node && !rq.login_all && rq.logout_all &&
      !startup_word_ok(*rq.logout_all, false)) {
    return usage_error(fmt::format("Invalid logoutall option {}.", *rq.logout_all));
  }
  bool node_like = rq.mode == Mode::node || (rq.mode == Mode::session && rq.sid);
  if (node_like && !rq.login_all && !rq.logout_all && rq.ops != op_new && !rq.rescan &&
      !rq.stats) {
    if (rq.login && rq.logout) {
      parsed = refuse(std::move(parsed), "Invalid parameters. Both login and logout passed in");
      return false;
    }
    if ((rq.login || rq.logout) && rq.ops > op_noop) {
      parsed = refuse(std::move(parsed), "Invalid parameters. Login/logout and op passed in");
      return false;
    }
  }
  if (rq.mode == Mode::session && !rq.sid && rq.ops == op_new) {
    parsed = refuse(std::move(parsed),
                    "session mode: Operation 'new' only allowed with specific session IDs");
    return false;
  }
  return true;
}

}  // namespace

std::string_view usage_text() { return kUsage; }

ParsedCommand parse_command(std::span<const std::string> args) {
  ParsedCommand parsed;
  // iscsiadm goes on after getopt's '?' (it printed its message); the operands are never read.
  cli::GetoptLong getopt(args, kShortOptions, kLongOptions);
  std::vector<OptionEvent> events;
  while (std::optional<OptionEvent> event = getopt.next()) {
    events.push_back(std::move(*event));
    if (events.size() >= kMaxEvents && !getopt.inside_cluster()) break;
  }
  LoopState st;
  for (const OptionEvent& ev : events) {
    if (!apply_event(ev, st, parsed)) return parsed;
  }
  if (st.optopt != 0) {
    return refuse(std::move(parsed), fmt::format("unrecognized character '{}'", st.optopt));
  }
  if (parsed.request.kill_priority) {
    parsed.run = true;
    return parsed;
  }
  if (!st.mode) {
    parsed.err += kTryHelp;
    return finish(std::move(parsed), exit_code(ErrorCode::inval));
  }
  parsed.request.mode = *st.mode;
  if (!verify_mode(events, *st.mode, parsed)) return parsed;
  if (!check_mode_semantics(parsed)) return parsed;
  parsed.run = true;
  return parsed;
}

}  // namespace iscsi::initiator::iscsiadm
