#include "tests/integration/tgtd_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>

extern char** environ;

namespace iscsi::integration {
namespace {

constexpr std::chrono::seconds kTgtdStartLimit{10};
constexpr std::chrono::seconds kTgtadmLimit{30};

}  // namespace

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  std::uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

bool TgtdProcess::installed() {
  return test::program_available("tgtd") && test::program_available("tgtadm");
}

TgtdProcess::TgtdProcess(std::uint32_t control_offset, std::string address)
    // gtest_discover_tests runs every case in its own process: the pid separates them. tgtd's
    // control port is a 16-bit signed number; 20000+ keeps clear of `iscsim target`'s range.
    : address_(std::move(address)),
      port_(free_loopback_port()),
      control_port_(20000 + (static_cast<std::uint32_t>(::getpid()) * 2 + control_offset) %
                                12000) {
  char path[] = "/tmp/iscsim-tgtd-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0 || port_ == 0 || !installed()) return;
  ::close(fd);
  log_path_ = path;
  std::vector<std::string> args{"tgtd", "-f", "-C", std::to_string(control_port_), "--iscsi",
                                "portal=" + portal()};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_APPEND, 0);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  const int spawned = posix_spawnp(&pid_, "tgtd", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + kTgtdStartLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto shown = test::run_command(
        {"tgtadm", "-C", std::to_string(control_port_), "--op", "show", "--mode", "system"},
        {.stdin_data = "", .timeout = std::chrono::seconds(5)});
    if (shown.exit_code == 0) {
      started_ = true;
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

TgtdProcess::~TgtdProcess() {
  stop();
  if (!log_path_.empty()) ::unlink(log_path_.c_str());
}

test::CommandResult TgtdProcess::tgtadm(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"tgtadm", "-C", std::to_string(control_port_), "--lld", "iscsi"};
  argv.insert(argv.end(), args.begin(), args.end());
  return test::run_command(argv, {.stdin_data = "", .timeout = kTgtadmLimit});
}

std::vector<std::string> TgtdProcess::target_ids() const {
  const auto shown = tgtadm({"--op", "show", "--mode", "target"});
  std::vector<std::string> ids;
  const std::regex line(R"(^Target (\d+): )", std::regex::multiline);
  for (std::sregex_iterator it(shown.out.begin(), shown.out.end(), line), end; it != end; ++it) {
    ids.push_back((*it)[1].str());
  }
  return ids;
}

bool TgtdProcess::stop(std::chrono::milliseconds limit) {
  if (pid_ < 0) return false;
  for (const std::string& tid : target_ids()) {
    tgtadm({"--op", "delete", "--mode", "target", "--tid", tid, "--force"});
  }
  test::run_command({"tgtadm", "-C", std::to_string(control_port_), "--op", "delete", "--mode",
                     "system"},
                    {.stdin_data = "", .timeout = kTgtadmLimit});
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return false;
}

std::string TgtdProcess::output() const {
  std::ifstream in(log_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace iscsi::integration
