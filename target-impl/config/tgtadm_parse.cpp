// tgtadm's command line, as tgt 1.0.85's usr/tgtadm.c main() reads it: options are applied
// in order (an unknown mode or operation, a bad number, --help and --version end the run at
// once), then leftover operands, the missing op/mode, and the per-mode option rules.
#include <array>
#include <cstdint>
#include <limits>

#include "core/cli/c_numbers.hpp"
#include "core/cli/getopt.hpp"
#include "target-impl/config/tgtadm_request.hpp"

namespace iscsi::target::config {
namespace {

using cli::ArgKind;
using cli::LongOption;

constexpr std::string_view short_options =
    "dhVL:o:m:t:s:c:l:n:v:b:E:f:y:T:I:Q:u:p:H:F:P:B:Y:O:C:S:";

// tgtadm's long_options[] in its order (the order matters for glibc's ambiguity message).
constexpr std::array<LongOption, 29> long_options{{
    {"debug", ArgKind::none, 'd'},          {"help", ArgKind::none, 'h'},
    {"version", ArgKind::none, 'V'},        {"lld", ArgKind::required, 'L'},
    {"op", ArgKind::required, 'o'},         {"mode", ArgKind::required, 'm'},
    {"tid", ArgKind::required, 't'},        {"sid", ArgKind::required, 's'},
    {"cid", ArgKind::required, 'c'},        {"lun", ArgKind::required, 'l'},
    {"name", ArgKind::required, 'n'},       {"value", ArgKind::required, 'v'},
    {"backing-store", ArgKind::required, 'b'}, {"bstype", ArgKind::required, 'E'},
    {"bsopts", ArgKind::required, 'S'},     {"bsoflags", ArgKind::required, 'f'},
    {"blocksize", ArgKind::required, 'y'},  {"targetname", ArgKind::required, 'T'},
    {"initiator-address", ArgKind::required, 'I'}, {"initiator-name", ArgKind::required, 'Q'},
    {"user", ArgKind::required, 'u'},       {"password", ArgKind::required, 'p'},
    {"host", ArgKind::required, 'H'},       {"force", ArgKind::none, 'F'},
    {"params", ArgKind::required, 'P'},     {"bus", ArgKind::required, 'B'},
    {"device-type", ArgKind::required, 'Y'}, {"outgoing", ArgKind::none, 'O'},
    {"control-port", ArgKind::required, 'C'},
}};

constexpr std::string_view try_help = "Try `tgtadm --help' for more information.\n";

Reply refuse(std::string_view message, int code = exit_einval) {
  return Reply{"", "tgtadm: " + std::string(message) + "\n", code};
}

std::optional<Mode> mode_from(std::string_view s) {
  if (s == "system" || s == "sys") return Mode::system;
  if (s == "target" || s == "tgt") return Mode::target;
  if (s == "logicalunit" || s == "lu") return Mode::logicalunit;
  if (s == "portal" || s == "pt") return Mode::portal;
  if (s == "session" || s == "sess") return Mode::session;
  if (s == "connection" || s == "conn") return Mode::connection;
  if (s == "account") return Mode::account;
  if (s == "lld") return Mode::lld;
  return std::nullopt;
}

std::optional<Op> op_from(std::string_view s) {
  if (s == "new") return Op::new_;
  if (s == "delete") return Op::delete_;
  if (s == "bind") return Op::bind;
  if (s == "unbind") return Op::unbind;
  if (s == "show") return Op::show;
  if (s == "update") return Op::update;
  if (s == "stat") return Op::stat;
  if (s == "start") return Op::start;
  if (s == "stop") return Op::stop;
  return std::nullopt;
}

// tgt's enum tgtadm_op numbering, which "option %d not supported in lld mode" prints.
int op_number(Op op) {
  switch (op) {
    case Op::new_: return 0;
    case Op::delete_: return 1;
    case Op::show: return 2;
    case Op::bind: return 3;
    case Op::unbind: return 4;
    case Op::update: return 5;
    case Op::stat: return 6;
    case Op::start: return 7;
    case Op::stop: return 8;
  }
  return 0;
}

bool known_device_type(std::string_view s) {
  return s == "disk" || s == "tape" || s == "cd" || s == "changer" || s == "osd" ||
         s == "ssc" || s == "pt";
}

enum class ArgError : std::uint8_t { none, invalid, out_of_range };

struct IntArg {
  ArgError error = ArgError::none;
  std::uint64_t value = 0;
};

// tgt's str_to_int family (usr/util.h): strtoull base 0, then a check that the value fits the
// destination type. tgt 1.0.85 also calls an all-ones result (what "-1" converts to) invalid.
IntArg convert(std::string_view text, unsigned bits, bool is_signed) {
  auto c = cli::c_strtoull(text);
  if (!c || c->overflow || c->value == std::numeric_limits<std::uint64_t>::max()) {
    return {ArgError::invalid, 0};
  }
  if (bits == 64) return {ArgError::none, c->value};
  std::uint64_t low = c->value & ((std::uint64_t{1} << bits) - 1U);
  if (!is_signed) {
    return low == c->value ? IntArg{ArgError::none, low} : IntArg{ArgError::out_of_range, 0};
  }
  std::uint64_t sign_bit = std::uint64_t{1} << (bits - 1U);
  std::uint64_t extended = (low & sign_bit) != 0 ? (low | ~((sign_bit << 1U) - 1U)) : low;
  if (extended != c->value || (extended & sign_bit) != 0) return {ArgError::out_of_range, 0};
  return {ArgError::none, extended};
}

Reply bad_optarg(char ch, std::string_view arg, ArgError error) {
  std::string text = std::string("-") + ch + " argument value '" + std::string(arg) + "' " +
                     (error == ArgError::out_of_range ? "out of range" : "invalid") + "\n";
  return Reply{"", text + std::string(try_help), exit_einval};
}

}  // namespace

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::system: return "system";
    case Mode::target: return "target";
    case Mode::logicalunit: return "logicalunit";
    case Mode::portal: return "portal";
    case Mode::session: return "session";
    case Mode::connection: return "connection";
    case Mode::account: return "account";
    case Mode::lld: return "lld";
  }
  return "target";
}

std::string_view to_string(Op op) {
  switch (op) {
    case Op::new_: return "new";
    case Op::delete_: return "delete";
    case Op::bind: return "bind";
    case Op::unbind: return "unbind";
    case Op::show: return "show";
    case Op::update: return "update";
    case Op::stat: return "stat";
    case Op::start: return "start";
    case Op::stop: return "stop";
  }
  return "show";
}

Reply no_daemon_reply() {
  return refuse("failed to send request hdr to tgt daemon, Transport endpoint is not connected",
                exit_no_daemon);
}

namespace {

class CommandParser {
 public:
  ParsedCommand run(std::span<const std::string> args) {
    // tgtadm calls usage() at getopt's first '?'.
    cli::GetoptLong options(args, short_options, long_options);
    while (auto option = options.next()) {
      if (option->code == '?') {
        return finish(Reply{"", "tgtadm: " + option->error + "\n" + std::string(try_help),
                            exit_einval});
      }
      if (auto stop = apply(*option)) return finish(std::move(*stop));
    }
    if (!options.operands().empty()) {
      return finish(Reply{"", "tgtadm: unrecognized option '" + options.operands().front() +
                                  "'\n" + std::string(try_help),
                          exit_einval});
    }
    if (!have_op_) return finish(refuse("specify the operation type"));
    if (!have_mode_) return finish(refuse("specify the mode"));
    if (auto refused = check_mode()) return finish(std::move(*refused));
    ParsedCommand parsed;
    parsed.request = request_;
    parsed.control_port = request_.control_port;
    return parsed;
  }

 private:
  ParsedCommand finish(Reply reply) {
    ParsedCommand parsed;
    parsed.reply = std::move(reply);
    parsed.control_port = request_.control_port;
    return parsed;
  }

  std::optional<Reply> apply(const cli::OptionEvent& option);
  std::optional<Reply> apply_number(char code, const std::string& arg);
  std::optional<Reply> apply_string(char code, const std::string& arg);
  std::optional<Reply> check_mode();
  std::optional<Reply> check_system();
  std::optional<Reply> check_target();
  std::optional<Reply> check_account();
  std::optional<Reply> check_device();
  std::optional<Reply> check_portal();
  std::optional<Reply> check_lld();

  // tgtadm's verify_mode_params(): the first option used that the mode/op does not allow
  // (-d is always allowed).
  std::optional<char> disallowed(std::string_view allowed) const {
    for (char code : codes_) {
      if (code != 'd' && allowed.find(code) == std::string_view::npos) return code;
    }
    return std::nullopt;
  }

  std::optional<Reply> verify(std::string_view allowed, std::string_view before,
                              std::string_view after) const {
    auto code = disallowed(allowed);
    if (!code) return std::nullopt;
    return refuse(std::string(before) + "-" + *code + std::string(after));
  }

  Request request_;
  bool have_op_ = false;
  bool have_mode_ = false;
  std::string op_name_;
  std::vector<char> codes_;
};

std::optional<Reply> CommandParser::apply(const cli::OptionEvent& option) {
  codes_.push_back(option.code);
  const std::string arg = option.argument.value_or("");
  switch (option.code) {
    case 'o': {
      auto op = op_from(arg);
      if (!op) return refuse("unknown operation: " + arg, exit_unknown_mode_or_op);
      request_.op = *op;
      op_name_ = arg;
      have_op_ = true;
      return std::nullopt;
    }
    case 'm': {
      auto mode = mode_from(arg);
      if (!mode) return refuse("unknown mode: " + arg, exit_unknown_mode_or_op);
      request_.mode = *mode;
      have_mode_ = true;
      return std::nullopt;
    }
    case 'V':
      return Reply{std::string(tgtadm_version) + "\n", "", 0};
    case 'h':
      return Reply{tgtadm_usage_text(), "", 0};
    case 'd':
      request_.debug = true;
      return std::nullopt;
    case 'F':
      request_.force = true;
      return std::nullopt;
    case 'O':
      request_.outgoing = true;
      return std::nullopt;
    case 't': case 's': case 'c': case 'l': case 'H': case 'C':
      return apply_number(option.code, arg);
    default:
      return apply_string(option.code, arg);
  }
}

std::optional<Reply> CommandParser::apply_number(char code, const std::string& arg) {
  struct Shape {
    unsigned bits;
    bool is_signed;
  };
  Shape shape{64, false};
  if (code == 't') shape = {32, true};
  if (code == 'c' || code == 'H') shape = {32, false};
  if (code == 'C') shape = {16, true};
  IntArg converted = convert(arg, shape.bits, shape.is_signed);
  if (converted.error != ArgError::none) return bad_optarg(code, arg, converted.error);
  switch (code) {
    case 't': request_.tid = static_cast<std::int32_t>(converted.value); break;
    case 's': request_.sid = converted.value; break;
    case 'c': request_.cid = static_cast<std::uint32_t>(converted.value); break;
    case 'l': request_.lun = converted.value; break;
    case 'H': request_.host_no = static_cast<std::uint32_t>(converted.value); break;
    default: request_.control_port = static_cast<std::uint16_t>(converted.value); break;
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::apply_string(char code, const std::string& arg) {
  switch (code) {
    case 'L': request_.lld = arg; break;
    case 'n': request_.name = arg; break;
    case 'v': request_.value = arg; break;
    case 'b': request_.backing_store = arg; break;
    case 'E': request_.bstype = arg; break;
    case 'S': request_.bsopts = arg; break;
    case 'f': request_.bsoflags = arg; break;
    case 'y': request_.blocksize = arg; break;
    case 'T': request_.targetname = arg; break;
    case 'I': request_.initiator_address = arg; break;
    case 'Q': request_.initiator_name = arg; break;
    case 'u': request_.user = arg; break;
    case 'p': request_.password = arg; break;
    case 'P':
      // tgtadm decides by the mode given so far.
      if (have_mode_ && request_.mode == Mode::portal) {
        request_.portal_params = arg;
      } else {
        request_.params = arg;
      }
      break;
    case 'Y':
      if (!known_device_type(arg)) return refuse("unknown target type: " + arg);
      request_.device_type = arg;
      break;
    case 'B': {
      // tgtadm resolves "--bus TYPE,ADDR" through /sys/bus; no SCSI host bus exists here.
      std::size_t comma = arg.find(',');
      if (comma != std::string::npos) return refuse("can't find bus: " + arg.substr(0, comma));
      request_.host_no = static_cast<std::uint32_t>(-exit_einval);
      break;
    }
    default: break;
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_mode() {
  switch (request_.mode) {
    case Mode::system: return check_system();
    case Mode::target: return check_target();
    case Mode::account: return check_account();
    case Mode::logicalunit: return check_device();
    case Mode::portal: return check_portal();
    case Mode::lld: return check_lld();
    case Mode::session:
    case Mode::connection:
      // tgtadm checks nothing here and leaves it to the daemon.
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_system() {
  switch (request_.op) {
    case Op::update:
      if (auto r = verify("LmonvC", "system mode: option '", "' is not allowed/supported")) {
        return r;
      }
      if (!request_.name || !request_.value) {
        return refuse("update operation requires 'name' and 'value' options");
      }
      return std::nullopt;
    case Op::show:
    case Op::delete_:
    case Op::stat:
      return std::nullopt;
    case Op::new_: case Op::bind: case Op::unbind: case Op::start: case Op::stop:
      return refuse("operation " + op_name_ + " not supported in system mode");
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_target() {
  if (request_.tid <= 0 && request_.op != Op::show) {
    return refuse(request_.tid == 0 ? "'tid' cannot be 0" : "'tid' option is necessary");
  }
  constexpr std::string_view before = "target mode: option '";
  constexpr std::string_view after = "' is not allowed/supported";
  switch (request_.op) {
    case Op::new_:
      if (auto r = verify("LmotTC", before, after)) return r;
      if (!request_.targetname) return refuse("creating new target requires a name, use --targetname");
      return std::nullopt;
    case Op::delete_:
      return verify("LmotCF", before, after);
    case Op::show:
    case Op::stat:
      return verify("LmotC", before, after);
    case Op::bind:
    case Op::unbind:
      if (auto r = verify("LmotIQBHC", before, after)) return r;
      if (!request_.initiator_address && !request_.initiator_name && request_.host_no == 0) {
        // The missing space is tgt's ("initiator-name" "or bus").
        return refuse(op_name_ + " operation requires initiator-address, initiator-nameor bus");
      }
      return std::nullopt;
    case Op::update:
      if (auto r = verify("LmotnvC", before, after)) return r;
      if (!request_.name || !request_.value) {
        return refuse("update operation requires 'name' and 'value' options");
      }
      return std::nullopt;
    case Op::start: case Op::stop:
      return refuse("operation " + op_name_ + " not supported in target mode");
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_account() {
  constexpr std::string_view before = "account mode: option '";
  constexpr std::string_view after = "' is not allowed/supported";
  switch (request_.op) {
    case Op::new_:
      if (auto r = verify("LmoupfC", before, after)) return r;
      if (!request_.user || !request_.password) {
        return refuse("'user' and 'password' options are required");
      }
      return std::nullopt;
    case Op::show:
      return verify("LmoC", before, after);
    case Op::delete_:
      return verify("LmouC", before, after);
    case Op::bind:
    case Op::unbind:
      if (auto r = verify("LmotuOC", before, after)) return r;
      if (!request_.user) return refuse("'user' option is necessary");
      // Without --tid the account goes to tgt's global target: discovery sessions.
      if (request_.tid == -1) request_.tid_global = true;
      return std::nullopt;
    case Op::update: case Op::stat: case Op::start: case Op::stop:
      return refuse("operation " + op_name_ + " not supported in account mode");
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_device() {
  if (request_.tid <= 0) {
    return refuse(request_.tid == 0 ? "'tid' must not be 0" : "'tid' option is necessary");
  }
  if (!request_.lun) return refuse("'lun' option is necessary");
  constexpr std::string_view before = "logicalunit mode: option '";
  constexpr std::string_view after = "' is not allowed/supported";
  switch (request_.op) {
    case Op::new_: {
      if (auto r = verify("LmofytlbEYCS", before, after)) return r;
      const std::string& type = request_.device_type;
      bool needs_path = type != "cd" && type != "tape" && type != "ssc" && type != "disk";
      if (!request_.backing_store && needs_path) return refuse("'backing-store' option is necessary");
      return std::nullopt;
    }
    case Op::delete_:
    case Op::stat:
      return verify("LmotlC", before, after);
    case Op::update:
      return verify("LmofytlPC", "option '", "' not supported in logicalunit mode");
    case Op::bind: case Op::unbind: case Op::show: case Op::start: case Op::stop:
      return refuse("operation " + op_name_ + " not supported in logicalunit mode");
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_portal() {
  switch (request_.op) {
    case Op::new_:
    case Op::delete_:
      if (auto r = verify("LmoCP", "portal mode: option '", "' is not allowed/supported")) {
        return r;
      }
      if (!request_.portal_params) return refuse("you must specify --param portal=<portal>");
      return std::nullopt;
    case Op::show:
      return verify("LmoC", "option '", "' not supported in portal mode");
    case Op::bind: case Op::unbind: case Op::update: case Op::stat: case Op::start: case Op::stop:
      return refuse("operation " + op_name_ + " not supported in portal mode");
  }
  return std::nullopt;
}

std::optional<Reply> CommandParser::check_lld() {
  switch (request_.op) {
    case Op::start:
    case Op::stop:
    case Op::show:
      return verify("LmoC", "lld mode: option '", "' is not allowed/supported");
    case Op::new_: case Op::delete_: case Op::bind: case Op::unbind: case Op::update:
    case Op::stat:
      return refuse("option " + std::to_string(op_number(request_.op)) +
                    " not supported in lld mode");
  }
  return std::nullopt;
}

}  // namespace

ParsedCommand parse_tgtadm(std::span<const std::string> args) {
  return CommandParser().run(args);
}

}  // namespace iscsi::target::config
