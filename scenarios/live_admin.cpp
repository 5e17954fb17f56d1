#include "scenarios/live_admin.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>

extern char** environ;

namespace iscsi::scenarios {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct AdminPipe {
  int read_end = -1;
  int write_end = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read_end = fds[0];
    write_end = fds[1];
    return true;
  }
  ~AdminPipe() {
    close_fd(read_end);
    close_fd(write_end);
  }
};

// SIGPIPE blocked on this thread while stdin is written: a command that does not read its
// stdin must give EPIPE here, not end the whole run. A SIGPIPE raised meanwhile is taken.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      (void)sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

// Feeds stdin and collects stdout/stderr until both close. False at the deadline or past
// kAdminOutputLimit.
bool pump(AdminPipe& in, AdminPipe& out, AdminPipe& err, const std::string& input,
          runtime::Duration limit, AdminReply& reply) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::size_t written = 0;
  if (input.empty()) close_fd(in.write_end);
  std::array<char, 16384> buffer{};
  while (out.read_end >= 0 || err.read_end >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    std::array<pollfd, 3> fds{{{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0},
                               {in.write_end, POLLOUT, 0}}};
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
    if (fds[2].revents != 0 && in.write_end >= 0) {
      const ssize_t n = ::write(in.write_end, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) close_fd(in.write_end);
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      int& fd = i == 0 ? out.read_end : err.read_end;
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) {
        close_fd(fd);
        continue;
      }
      (i == 0 ? reply.out : reply.err).append(buffer.data(), static_cast<std::size_t>(n));
      if (reply.out.size() + reply.err.size() > kAdminOutputLimit) return false;
    }
  }
  return true;
}

}  // namespace

AdminReply run_admin_command(const std::string& command, const std::string& input,
                             runtime::Duration limit) {
  AdminReply reply;
  AdminPipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    reply.err = "the admin command's pipes could not be opened\n";
    return reply;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
  // Its own process group, so a timeout ends the command and everything it started.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::string sh = "sh";
  std::string dash_c = "-c";
  std::string script = command;
  std::array<char*, 4> argv{sh.data(), dash_c.data(), script.data(), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, "sh", &actions, &attributes, argv.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  if (spawned != 0) {
    reply.exit_code = 127;
    reply.err = "the admin command could not be started (sh)\n";
    return reply;
  }
  bool finished = false;
  {
    SigpipeBlock block;
    finished = pump(in, out, err, input, limit, reply);
  }
  if (!finished) {
    reply.timed_out = true;
    ::kill(-pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  reply.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return reply;
}

}  // namespace iscsi::scenarios
