#include "core/process/run_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>

extern char** environ;

namespace iscsi::process {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read_end = fds[0];
    write_end = fds[1];
    return true;
  }
  ~Pipe() {
    close_fd(read_end);
    close_fd(write_end);
  }
};

// SIGPIPE blocked on this thread while stdin is written: a program that does not read its
// stdin must give EPIPE here, not end the caller. A SIGPIPE raised meanwhile is taken.
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

// Feeds stdin and collects stdout/stderr until both close. False at the deadline or past the
// output limit.
bool pump(Pipe& in, Pipe& out, Pipe& err, const Options& options, Result& result) {
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::size_t written = 0;
  if (options.stdin_data.empty()) close_fd(in.write_end);
  std::array<char, 65536> buffer{};
  while (out.read_end >= 0 || err.read_end >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    std::array<pollfd, 3> fds{
        {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}, {in.write_end, POLLOUT, 0}}};
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
    if (fds[2].revents != 0 && in.write_end >= 0) {
      const ssize_t n = ::write(in.write_end, options.stdin_data.data() + written,
                                options.stdin_data.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == options.stdin_data.size()) close_fd(in.write_end);
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      int& fd = i == 0 ? out.read_end : err.read_end;
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) {
        close_fd(fd);
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
      if (result.out.size() + result.err.size() > options.output_limit_bytes) return false;
    }
  }
  return true;
}

// Starts argv with the pipes as its stdin, stdout and stderr, in a process group of its own;
// -1 when it cannot start.
pid_t spawn(const std::vector<std::string>& argv, const Pipe& in, const Pipe& out,
            const Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

}  // namespace

Result run(const std::vector<std::string>& argv, const Options& options) {
  Result result;
  Pipe in, out, err;
  if (argv.empty() || !in.open() || !out.open() || !err.open()) {
    result.exit_code = 127;
    result.err = argv.empty() ? "no program to run" : "no pipes for " + argv[0];
    return result;
  }
  const pid_t pid = spawn(argv, in, out, err);
  close_fd(in.read_end);
  close_fd(out.write_end);
  close_fd(err.write_end);
  if (pid < 0) {
    result.exit_code = 127;
    result.err = "cannot start " + argv[0];
    return result;
  }
  result.started = true;
  bool finished = false;
  {
    SigpipeBlock block;
    finished = pump(in, out, err, options, result);
  }
  if (!finished) {
    result.timed_out = true;
    ::kill(-pid, SIGKILL);  // the whole group: what the program started goes too
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace iscsi::process
