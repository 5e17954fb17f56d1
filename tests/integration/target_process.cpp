#include "tests/integration/target_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace iscsi::integration {
namespace {

constexpr std::chrono::seconds kStartLimit{15};

}  // namespace

std::uint32_t unique_control_port() {
  // gtest_discover_tests runs every test case in its own process: the pid separates them.
  // tgtadm's -C is a signed 16-bit number: 0-32767.
  return 1000 + static_cast<std::uint32_t>(::getpid()) % 30000;
}

TargetProcess::TargetProcess(std::vector<std::string> extra_args)
    : control_port_(unique_control_port()) {
  char path[] = "/tmp/iscsim-target-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return;
  ::close(fd);
  log_path_ = path;
  std::vector<std::string> args{ISCSIM_BINARY, "target", "--portal",
                                "127.0.0.1:0", "-C",     std::to_string(control_port_)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_APPEND, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const int spawned = posix_spawn(&pid_, ISCSIM_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    return;
  }
  const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + kStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string text = output();
    if (std::regex_search(text, match, listening)) {
      // The control line comes right after the portal lines: wait for it too.
      if (text.find("control port") != std::string::npos) {
        port_ = static_cast<std::uint16_t>(std::stoul(match[1].str()));
        return;
      }
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TargetProcess::~TargetProcess() {
  stop();
  if (!log_path_.empty()) ::unlink(log_path_.c_str());
}

test::CommandResult TargetProcess::tgtadm(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{ISCSIM_BINARY, "tgtadm", "-C", std::to_string(control_port_)};
  argv.insert(argv.end(), args.begin(), args.end());
  return test::run_command(argv, {.stdin_data = "", .timeout = std::chrono::seconds(30)});
}

std::string TargetProcess::admin_command() const {
  return "while IFS= read -r line; do eval \"set -- $line\"; shift; '" +
         std::string(ISCSIM_BINARY) + "' tgtadm -C " + std::to_string(control_port_) +
         " \"$@\" || exit $?; done";
}

std::optional<int> TargetProcess::stop(std::chrono::milliseconds limit) {
  if (pid_ < 0) return std::nullopt;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return std::nullopt;
}

std::string TargetProcess::output() const {
  std::ifstream in(log_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace iscsi::integration
