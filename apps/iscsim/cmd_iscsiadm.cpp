// `iscsim iscsiadm`: open-iscsi 2.1.8's iscsiadm on the reference initiator. Every argument is
// iscsiadm's (initiator-impl/iscsiadm parses it, so `--help` prints iscsiadm's usage). Files
// live under $ISCSIM_HOME (default ~/.iscsim). The session daemon of that home owns the
// sessions: when it answers on $ISCSIM_HOME/iscsid.sock, the whole command goes to it; when it
// does not, a login (-l, -L) starts it first, and any other command runs in this process on an
// InitiatorHost of its own (discovery, record operations, `-m session` with no daemon: "No
// active sessions.").
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "apps/iscsim/commands.hpp"
#include "apps/iscsim/iscsid_service.hpp"
#include "apps/iscsim/iscsim_home.hpp"
#include "core/asio/control_channel.hpp"
#include "core/asio/runtime.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/directory_file_store.hpp"
#include "initiator-impl/iscsiadm/error_codes.hpp"

extern char** environ;

namespace iscsim {
namespace {

namespace iscsiadm = iscsi::initiator::iscsiadm;

// A forwarded command's answer can take a login's retries; the daemon gives up at kAnswerLimit.
constexpr auto kForwardTimeout = kAnswerLimit + std::chrono::minutes(1);
// Tries of one forward when the daemon closes without a reply (it was exiting).
constexpr int kForwardAttempts = 20;

int print_report(const std::string& out, const std::string& err, int exit_code) {
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  return exit_code;
}

// What iscsiadm prints when it cannot reach iscsid (ISCSI_ERR_ISCSID_NOTCONN), and our reason.
int daemon_unreachable(const std::string& reason) {
  const int code = iscsiadm::exit_code(iscsiadm::ErrorCode::iscsid_notconn);
  return print_report({},
                      fmt::format("iscsiadm: can not connect to iSCSI daemon (111)!\n"
                                  "iscsiadm: initiator reported error ({} - {})\n"
                                  "iscsiadm: iscsim: {}\n",
                                  code, iscsiadm::error_message(code), reason),
                      code);
}

// Starts `/proc/self/exe iscsid --home DIR` and waits until it has detached and serves (the
// daemon's parent exits then), at most kStartLimit.
std::optional<std::string> start_daemon(const IscsimHome& home) {
  std::vector<std::string> args{"/proc/self/exe", "iscsid", "--home", home.dir};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) {
    return "cannot start the session daemon (`iscsim iscsid`)";
  }
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit + std::chrono::seconds(5);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return fmt::format("the session daemon did not start in time; see {}", home.log_path());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fmt::format("the session daemon did not start; see {}", home.log_path());
  }
  return std::nullopt;
}

// Runs the command on an InitiatorHost of this process, to the end.
int run_in_process(const IscsimHome& home, const std::vector<std::string>& args) {
  iscsi::asio::AsioRuntime runtime;
  iscsiadm::DirectoryFileStore files(home.dir);
  iscsi::initiator::host::InitiatorHost host(
      {&runtime.network(), &runtime.timers(), &runtime.clock(), &runtime.rng(), nullptr}, files);
  std::optional<iscsiadm::Report> report;
  host.iscsiadm(args, [&report, &runtime](iscsiadm::Report done) {
    report = std::move(done);
    runtime.stop();
  });
  while (!report) runtime.run_for(std::chrono::seconds(1));
  return print_report(report->out, report->err, report->exit_code);
}

using Forwarded = std::optional<iscsi::Result<iscsi::asio::ControlReply>>;

// Sends the command to the daemon; nullopt when none listens there. A daemon that closes the
// connection without a reply was exiting (its last session had just gone) and never took the
// request: ask again, and find the socket gone.
Forwarded forward(const IscsimHome& home, const std::vector<std::string>& args) {
  std::vector<std::string> request{"iscsiadm"};
  request.insert(request.end(), args.begin(), args.end());
  for (int attempt = 0;; ++attempt) {
    auto reply = iscsi::asio::send_control_request(home.socket, {request}, kForwardTimeout);
    if (reply.ok()) return reply;
    if (reply.error().id() == iscsi::asio::kControlNotConnected.id) return std::nullopt;
    if (reply.error().id() != iscsi::asio::kControlClosed.id || attempt + 1 >= kForwardAttempts) {
      return reply;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

int print_forwarded(const iscsi::Result<iscsi::asio::ControlReply>& reply) {
  if (!reply.ok()) return daemon_unreachable(reply.error().detail);
  return print_report(reply.value().out, reply.value().err, reply.value().exit_code);
}

int run_iscsiadm(const std::vector<std::string>& args) {
  const iscsiadm::ParsedCommand parsed = iscsiadm::parse_command(args);
  if (!parsed.run) return print_report(parsed.out, parsed.err, parsed.exit_code);
  const OpenedIscsimHome opened = open_iscsim_home(default_home_dir());
  if (!opened.home) {
    const int code = iscsiadm::exit_code(iscsiadm::ErrorCode::idbm);
    return print_report({}, fmt::format("iscsiadm: iscsim: $ISCSIM_HOME {}\n", opened.error),
                        code);
  }
  const IscsimHome& home = *opened.home;
  if (Forwarded reply = forward(home, args)) return print_forwarded(*reply);
  const bool login = parsed.request.login || parsed.request.login_all.has_value();
  if (!login) return run_in_process(home, args);
  if (auto failed = start_daemon(home)) return daemon_unreachable(*failed);
  Forwarded reply = forward(home, args);
  if (!reply) return daemon_unreachable("the session daemon stopped before the login");
  return print_forwarded(*reply);
}

}  // namespace

void register_iscsiadm_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "iscsiadm",
      "open-iscsi 2.1.8's iscsiadm (options, output and exit codes) on the reference initiator: "
      "iscsim iscsiadm -m discovery -t st -p 127.0.0.1; iscsim iscsiadm -m node -T IQN -p IP "
      "-l. Files live under $ISCSIM_HOME (default ~/.iscsim); logged-in sessions are held by "
      "the session daemon (`iscsim iscsid`), which a login starts. `iscsim iscsiadm --help` "
      "prints iscsiadm's usage (docs/iscsiadm.md)");
  // iscsiadm's arguments are iscsiadm's: none of them is ours, not even --help.
  cmd->prefix_command();
  cmd->set_help_flag();
  cmd->callback([cmd] { set_exit_code(run_iscsiadm(cmd->remaining())); });
}

}  // namespace iscsim
