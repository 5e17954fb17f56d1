// `iscsim iscsid`: the session daemon of one $ISCSIM_HOME (docs/iscsiadm.md). It holds the
// sessions `iscsim iscsiadm` logs in, on one InitiatorHost over the Boost.Asio runtime, and
// answers the front ends over the control channel $ISCSIM_HOME/iscsid.sock:
//   ["iscsiadm", args...] -> the command run by the host -> {exit, out, err}
//   ["io", args...]       -> `iscsim io` on a session it holds (--sid N)
// It exits once its last session has gone after a request (or when no request came within
// kIdleLimit of its start), and on SIGTERM/SIGINT after logging out every session.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "apps/iscsim/commands.hpp"
#include "apps/iscsim/signal_watch.hpp"
#include "apps/iscsim/io_command.hpp"
#include "apps/iscsim/iscsid_service.hpp"
#include "apps/iscsim/iscsim_home.hpp"
#include "core/asio/control_channel.hpp"
#include "core/asio/runtime.hpp"
#include "initiator-impl/host/initiator_host.hpp"
#include "initiator-impl/iscsiadm/directory_file_store.hpp"

namespace iscsim {
namespace {

using std::chrono::steady_clock;

struct IscsidOptions {
  std::string home;
  bool foreground = false;
  unsigned idle_seconds = static_cast<unsigned>(kIdleLimit.count());
};

// One line per event in $ISCSIM_HOME/iscsid.log (and on stderr in the foreground).
class DaemonLog {
 public:
  DaemonLog(const std::string& path, bool echo)
      : file_(std::fopen(path.c_str(), "a")), echo_(echo) {}
  ~DaemonLog() {
    if (file_ != nullptr) std::fclose(file_);
  }
  DaemonLog(const DaemonLog&) = delete;
  DaemonLog& operator=(const DaemonLog&) = delete;

  void line(const std::string& text) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    const std::string full = fmt::format("{} iscsid[{}]: {}\n", stamp, ::getpid(), text);
    if (file_ != nullptr) {
      std::fputs(full.c_str(), file_);
      std::fflush(file_);
    }
    if (echo_) std::fputs(full.c_str(), stderr);
  }

 private:
  std::FILE* file_;
  bool echo_;
};


// What the detached child tells the parent waiting in daemonize().
constexpr char kReadyServing = 'S';
constexpr char kReadyOtherDaemon = 'O';
constexpr char kReadyFailed = 'F';
// A logout of every session at SIGTERM gets this long.
constexpr std::chrono::seconds kSessionLogoutLimit{30};

// Tells the parent that waits in daemonize() how the start went, then closes the pipe.
void tell_parent(int& ready_fd, char status) {
  if (ready_fd < 0) return;
  [[maybe_unused]] const ssize_t written = ::write(ready_fd, &status, 1);
  ::close(ready_fd);
  ready_fd = -1;
}

// Logs out every session (SIGTERM), bounded by kSessionLogoutLimit.
void logout_all(iscsi::asio::AsioRuntime& runtime, iscsi::initiator::host::InitiatorHost& host,
                DaemonLog& log) {
  if (host.sessions().empty()) return;
  log.line(fmt::format("logging out {} session(s)", host.sessions().size()));
  bool done = false;
  host.iscsiadm({"-m", "node", "-U", "all"}, [&](iscsi::initiator::iscsiadm::Report report) {
    done = true;
    log.line(fmt::format("logout of all sessions: exit {}", report.exit_code));
    runtime.stop();
  });
  const auto deadline = steady_clock::now() + kSessionLogoutLimit;
  while (!done && steady_clock::now() < deadline) runtime.run_for(std::chrono::milliseconds(200));
  if (!done) log.line("the logout did not finish in time; closing the connections");
}

int serve(const IscsimHome& home, std::chrono::seconds idle_limit, int ready_fd,
          DaemonLog& log) {
  ::signal(SIGPIPE, SIG_IGN);
  SignalWatch signals;  // before any thread exists, so every thread inherits the mask
  iscsi::asio::AsioRuntime runtime;
  iscsi::initiator::iscsiadm::DirectoryFileStore files(home.dir);
  iscsi::initiator::host::InitiatorHost host(
      {&runtime.network(), &runtime.timers(), &runtime.clock(), &runtime.rng(), nullptr}, files);
  iscsi::asio::ControlServerOptions control_options;
  control_options.answer_limit = kAnswerLimit;
  auto control = iscsi::asio::ControlServer::start(
      home.socket, [&runtime] { runtime.stop(); }, control_options);
  if (!control.ok()) {
    log.line(fmt::format("cannot serve: {}", control.error().detail));
    const bool other = control.error().detail.find("already listens") != std::string::npos;
    tell_parent(ready_fd, other ? kReadyOtherDaemon : kReadyFailed);
    return other ? 0 : 1;
  }
  std::ofstream(home.pid_path(), std::ios::trunc) << ::getpid() << "\n";
  log.line(fmt::format("serving {} (home {})", home.socket_path(), home.dir));
  tell_parent(ready_fd, kReadyServing);
  signals.start(runtime);
  IscsidService service(host, [&runtime] { runtime.stop(); },
                        [&log](const std::string& text) { log.line(text); });
  const auto idle_deadline = steady_clock::now() + idle_limit;
  while (signals.caught() == 0) {
    runtime.run_for(std::chrono::seconds(1));
    control.value()->serve_pending_async(
        [&service](const iscsi::asio::ControlRequest& request,
                   iscsi::asio::ControlServer::ReplyFunction reply) {
          service.handle(request.args, std::move(reply));
        });
    if (service.busy() || !host.sessions().empty()) continue;
    if (service.handled() > 0) {
      log.line("no session left: exiting");
      break;
    }
    if (steady_clock::now() > idle_deadline) {
      log.line("no request and no session since the start: exiting");
      break;
    }
  }
  if (signals.caught() != 0) {
    const char* name = signals.caught() == SIGTERM ? "SIGTERM" : "SIGINT";
    log.line(fmt::format("signal {}: stopping", name));
  }
  signals.finish();
  // No new request from here on: the logout below is the last work.
  control.value().reset();
  logout_all(runtime, host, log);
  runtime.run_for(std::chrono::milliseconds(100));
  ::unlink(home.pid_path().c_str());
  log.line("stopped");
  return 0;
}

// Without --foreground: the child detaches (setsid, stdio to the log) and serves; the parent
// waits until the child serves (or fails) and exits 0 (serving, or another daemon already
// serves this home) or 1. No thread exists yet when this forks.
int daemonize(const IscsimHome& home, std::chrono::seconds idle_limit) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::perror("iscsim iscsid: pipe");
    return 1;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("iscsim iscsid: fork");
    return 1;
  }
  if (child == 0) {
    ::close(pipe_fds[0]);
    ::setsid();
    // Keep no directory of the caller busy: every path the daemon uses is absolute.
    [[maybe_unused]] const int moved = ::chdir("/");
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int log_fd = ::open(home.log_path().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                              0600);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    if (log_fd >= 0) {
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
    }
    DaemonLog log(home.log_path(), false);
    return serve(home, idle_limit, pipe_fds[1], log);
  }
  ::close(pipe_fds[1]);
  pollfd entry{pipe_fds[0], POLLIN, 0};
  char status = kReadyFailed;
  const int limit_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(kStartLimit).count());
  if (::poll(&entry, 1, limit_ms) <= 0 || ::read(pipe_fds[0], &status, 1) != 1) {
    status = kReadyFailed;
  }
  ::close(pipe_fds[0]);
  if (status == kReadyServing || status == kReadyOtherDaemon) return 0;
  std::fprintf(stderr, "iscsim iscsid: the session daemon did not start; see %s\n",
               home.log_path().c_str());
  return 1;
}

int run_iscsid(const IscsidOptions& options) {
  const OpenedIscsimHome opened = open_iscsim_home(options.home);
  if (!opened.home) {
    std::fprintf(stderr, "iscsim iscsid: %s\n", opened.error.c_str());
    return 1;
  }
  const std::chrono::seconds idle_limit{options.idle_seconds};
  if (!options.foreground) return daemonize(*opened.home, idle_limit);
  DaemonLog log(opened.home->log_path(), true);
  return serve(*opened.home, idle_limit, -1, log);
}

}  // namespace

void register_iscsid_command(CLI::App& app) {
  auto options = std::make_shared<IscsidOptions>();
  auto* cmd = app.add_subcommand(
      "iscsid",
      "The session daemon of one $ISCSIM_HOME: holds the sessions `iscsim iscsiadm` logs in and "
      "serves `iscsim iscsiadm` and `iscsim io --sid N` over HOME/iscsid.sock. `iscsim iscsiadm "
      "... -l` starts it; it exits when its last session logs out, and on SIGTERM after logging "
      "out every session. Logs go to HOME/iscsid.log (docs/iscsiadm.md)");
  cmd->add_option("--home", options->home, "The $ISCSIM_HOME directory it serves")->required();
  cmd->add_flag("--foreground", options->foreground,
                "Stay in the foreground and log to stderr too (default: detach once serving)");
  cmd->add_option("--idle-seconds", options->idle_seconds,
                  "Exit when no request came this long after the start and no session is held")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  cmd->callback([options] { set_exit_code(run_iscsid(*options)); });
}

}  // namespace iscsim
