// `iscsim tgtadm`: tgt's tgtadm against a running `iscsim target`. The command line is parsed
// here exactly as tgtadm parses it (usage errors, --help and --version need no target), then
// sent over the control channel selected by -C/--control-port (core/asio/control_channel.hpp);
// the target executes it and its reply is printed with tgtadm's exit code. A tutorial line
// works pasted as is with `tgtadm` replaced by `iscsim tgtadm`.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "apps/iscsim/commands.hpp"
#include "core/asio/control_channel.hpp"
#include "target-impl/config/tgtadm.hpp"

namespace iscsim {
namespace {

// A target answers in milliseconds; a store probe on a slow device can take longer.
constexpr std::chrono::seconds kReplyTimeout{60};

void print_reply(const iscsi::target::config::Reply& reply) {
  std::fwrite(reply.out.data(), 1, reply.out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(reply.err.data(), 1, reply.err.size(), stderr);
}

int run_tgtadm(const std::vector<std::string>& args) {
  namespace config = iscsi::target::config;
  const config::ParsedCommand parsed = config::parse_tgtadm(args);
  if (!parsed.request) {
    print_reply(parsed.reply);
    return parsed.reply.exit_code;
  }
  auto reply = iscsi::asio::send_control_request(parsed.control_port, {args}, kReplyTimeout);
  if (!reply.ok()) {
    if (reply.error().id() == iscsi::asio::kControlNotConnected.id) {
      const config::Reply none = config::no_daemon_reply();
      print_reply(none);
      return none.exit_code;
    }
    std::fprintf(stderr, "tgtadm: %s\n", reply.error().to_string().c_str());
    return config::exit_no_daemon;
  }
  print_reply({reply->out, reply->err, reply->exit_code});
  return reply->exit_code;
}

}  // namespace

void register_tgtadm_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "tgtadm",
      "tgt's tgtadm (1.0.85 options, output and exit codes) for a running `iscsim target`: "
      "iscsim tgtadm [-C N] --lld iscsi --mode target --op show. Every argument goes to "
      "tgtadm's own parser; `iscsim tgtadm --help` prints tgtadm's usage. Exit 107 when no "
      "target listens on the control port");
  // tgtadm's arguments are tgtadm's: none of them is ours, not even --help.
  cmd->prefix_command();
  cmd->set_help_flag();
  cmd->callback([cmd] { set_exit_code(run_tgtadm(cmd->remaining())); });
}

}  // namespace iscsim
