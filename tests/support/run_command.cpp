#include "tests/support/run_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

extern char** environ;

namespace iscsi::test {
namespace {

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  bool open() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    read_end = fds[0];
    write_end = fds[1];
    return true;
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~Pipe() {
    close_fd(read_end);
    close_fd(write_end);
  }
};

// Moves stdin bytes in and stdout/stderr bytes out until the child closes its output or the
// deadline passes. Returns false on timeout or when the output limit is exceeded.
bool pump(Pipe& in, Pipe& out, Pipe& err, const CommandOptions& options, CommandResult& result) {
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::size_t written = 0;
  if (options.stdin_data.empty()) Pipe::close_fd(in.write_end);
  std::array<char, 65536> buffer{};
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
      const ssize_t n = ::write(in.write_end, options.stdin_data.data() + written,
                                options.stdin_data.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == options.stdin_data.size()) Pipe::close_fd(in.write_end);
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[static_cast<std::size_t>(i)].revents == 0) continue;
      int& fd = i == 0 ? out.read_end : err.read_end;
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n <= 0) {
        Pipe::close_fd(fd);
        continue;
      }
      (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
      if (result.out.size() + result.err.size() > options.output_limit_bytes) return false;
    }
  }
  return true;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  CommandResult result;
  Pipe in, out, err;
  if (argv.empty() || !in.open() || !out.open() || !err.open()) return result;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  Pipe::close_fd(in.read_end);
  Pipe::close_fd(out.write_end);
  Pipe::close_fd(err.write_end);
  if (rc != 0) {
    result.exit_code = 127;
    result.err = "cannot start " + argv[0];
    return result;
  }
  if (!pump(in, out, err, options, result)) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

bool program_available(std::string_view program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::filesystem::path dir(std::string(rest.substr(0, colon)));
    if (::access((dir / std::string(program)).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

std::string describe(const CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out)" : "") +
         "\nstdout:\n" + result.out + "\nstderr:\n" + result.err;
}

}  // namespace iscsi::test
