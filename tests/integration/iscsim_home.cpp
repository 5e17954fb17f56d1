#include "tests/integration/iscsim_home.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace iscsi::integration {

bool process_running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return false;
  const std::size_t close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

IscsimHome::IscsimHome() {
  std::string pattern = "/tmp/iscsim-home-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

IscsimHome::~IscsimHome() {
  stop_daemon();
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

test::CommandResult IscsimHome::iscsim(const std::vector<std::string>& args,
                                       const std::vector<std::string>& env,
                                       std::chrono::seconds timeout) const {
  std::vector<std::string> argv{"env", "ISCSIM_HOME=" + path_};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(ISCSIM_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = test::run_command(argv, {.stdin_data = "", .timeout = timeout});
  if (auto pid = daemon_pid()) seen_.push_back(*pid);
  return result;
}

test::CommandResult IscsimHome::iscsiadm(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"iscsiadm"};
  full.insert(full.end(), args.begin(), args.end());
  return iscsim(full);
}

std::optional<pid_t> IscsimHome::daemon_pid() const {
  std::ifstream in(path_ + "/iscsid.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  const auto value = static_cast<pid_t>(pid);
  if (!process_running(value)) return std::nullopt;
  return value;
}

bool IscsimHome::daemon_gone_within(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  const std::string socket = path_ + "/iscsid.sock";
  for (;;) {
    bool running = daemon_pid().has_value();
    for (pid_t pid : seen_) running = running || process_running(pid);
    struct stat info {};
    if (!running && ::lstat(socket.c_str(), &info) != 0) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void IscsimHome::stop_daemon() {
  if (auto pid = daemon_pid()) seen_.push_back(*pid);
  for (pid_t pid : seen_) {
    if (process_running(pid)) ::kill(pid, SIGTERM);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  for (pid_t pid : seen_) {
    while (process_running(pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (process_running(pid)) ::kill(pid, SIGKILL);
  }
  seen_.clear();
}

std::string IscsimHome::daemon_log() const {
  std::ifstream in(path_ + "/iscsid.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace iscsi::integration
