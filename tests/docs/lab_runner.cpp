#include "tests/docs/lab_runner.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "tests/docs/lab_page.hpp"
#include "tests/docs/lab_script.hpp"

extern char** environ;

namespace iscsi::labs {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The tail of a block's output that a failure message quotes.
constexpr std::size_t kQuotedOutputBytes = 6000;
constexpr std::chrono::milliseconds kPoll{20};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string quote_output(const std::string& output) {
  if (output.empty()) return "--- output: (none) ---";
  std::string tail = output;
  if (tail.size() > kQuotedOutputBytes) {
    tail = "[...]" + tail.substr(tail.size() - kQuotedOutputBytes);
  }
  if (tail.back() != '\n') tail += '\n';
  return "--- output ---\n" + tail + "--- end of output ---";
}

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's choice).
int free_tcp_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

// True when no `iscsim target` holds the control socket @iscsim-tgtd.N (we can bind it).
bool control_port_free(int number) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string name = fmt::format("iscsim-tgtd.{}", number);
  std::memcpy(address.sun_path + 1, name.data(), name.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0;
  ::close(fd);
  return free;
}

// tgtadm's -C is 0..32767; other tests take 1000 + pid % 30000, so start elsewhere at random.
int free_control_port() {
  std::random_device device;
  std::uniform_int_distribution<int> pick(1000, 32767);
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int number = pick(device);
    if (control_port_free(number)) return number;
  }
  return 0;
}

std::vector<std::string> page_environment(const LabRunOptions& options, const fs::path& root,
                                          int port, int control) {
  std::map<std::string, std::string> values;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::size_t equals = text.find('=');
    if (equals != std::string::npos) values[text.substr(0, equals)] = text.substr(equals + 1);
  }
  const std::string path = values.count("PATH") != 0 ? values["PATH"] : "/usr/bin:/bin";
  values["PATH"] = options.path_prefix + ":" + path;
  values["ISCSIM_PORT"] = std::to_string(port);
  values["ISCSIM_CTL"] = std::to_string(control);
  // A page sets its own ISCSIM_HOME; this one only keeps a page that forgets out of ~/.iscsim.
  values["ISCSIM_HOME"] = (root / "default-iscsim-home").string();
  values["LC_ALL"] = "C";
  values.erase("BASH_ENV");
  values.erase("ENV");
  values.erase("CDPATH");
  std::vector<std::string> env;
  for (const auto& [key, value] : values) env.push_back(key + "=" + value);
  return env;
}

// Starts `bash driver` in its own process group, in `work`, output to `log`.
pid_t start_driver(const fs::path& driver, const fs::path& work, const fs::path& log,
                   std::vector<std::string> env) {
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string bash = "/bin/bash";
  std::string no_profile = "--noprofile";
  std::string no_rc = "--norc";
  std::string script = driver.string();
  std::vector<char*> argv{bash.data(), no_profile.data(), no_rc.data(), script.data(), nullptr};
  const pid_t pid = ::fork();
  if (pid != 0) {
    if (pid > 0) ::setpgid(pid, pid);  // also here, so the group exists before we signal it
    return pid;
  }
  ::setpgid(0, 0);
  const int in = ::open("/dev/null", O_RDONLY);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (in < 0 || out < 0 || ::chdir(work.c_str()) != 0) ::_exit(126);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(out, 2);
  ::execve(argv[0], argv.data(), envp.data());
  ::_exit(127);
}

// Reaps every finished child (orphans of the page come to us: we are a child subreaper).
void reap_children() {
  int status = 0;
  while (::waitpid(-1, &status, WNOHANG) > 0) {
  }
}

bool group_alive(pid_t group) {
  reap_children();
  return ::kill(-group, 0) == 0;
}

bool process_alive(pid_t pid) {
  reap_children();
  const std::string stat = read_text(fmt::format("/proc/{}/stat", pid));
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z' &&
         stat[paren + 2] != 'X';
}

template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return true;
}

// SIGTERM, a short grace, then SIGKILL, for the whole group.
void stop_group(pid_t group) {
  ::kill(-group, SIGTERM);
  if (!wait_until([group] { return !group_alive(group); }, std::chrono::seconds(3))) {
    ::kill(-group, SIGKILL);
    wait_until([group] { return !group_alive(group); }, std::chrono::seconds(3));
  }
}

// Runs the driver to its end or the page's time limit; false on timeout.
bool wait_for_driver(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return true;
}

// The text of page line `line` if it belongs to `block`, else empty.
std::string block_line_text(const RunBlock& block, int line) {
  const std::vector<std::string> lines = split_lines(block.text);
  const int index = line - block.line - 1;
  if (index < 0 || index >= static_cast<int>(lines.size())) return {};
  return lines[static_cast<std::size_t>(index)];
}

class PageRun {
 public:
  PageRun(const LabPage& page, std::string name, const LabRunOptions& options,
          LabRunResult& result)
      : page_(page), name_(std::move(name)), options_(options), result_(result) {}

  void run();

 private:
  bool prepare();
  void check_status(bool finished);
  void check_block_failure(const RunBlock& block, const DriverStatus& status);
  void check_consoles(int last_completed_line);
  void check_leftovers(pid_t group, bool quiet);
  void stop_session_daemons(bool quiet);
  void fail(std::string message) { result_.failures.push_back(std::move(message)); }
  std::string output_of(int line) const {
    return read_text(harness_ / fmt::format("out-{}.txt", line));
  }

  const LabPage& page_;
  std::string name_;
  const LabRunOptions& options_;
  LabRunResult& result_;
  fs::path root_, work_, harness_;
  DriverScript script_;
  int port_ = 0;
  int control_ = 0;
};

bool PageRun::prepare() {
  std::string pattern = (fs::temp_directory_path() / "iscsim-lab-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fail(fmt::format("{}: cannot create a temporary directory: {}", name_, std::strerror(errno)));
    return false;
  }
  root_ = pattern;
  result_.directory = root_.string();
  work_ = root_ / "work";
  harness_ = root_ / "harness";
  fs::create_directories(work_);
  fs::create_directories(harness_);
  script_ = make_driver_script(page_, harness_.string());
  write_text(harness_ / "driver.sh", script_.text);
  for (const RunBlock& block : page_.blocks) {
    write_text(harness_ / fmt::format("block-{}.sh", block.line), block.text);
  }
  port_ = free_tcp_port();
  control_ = free_control_port();
  if (port_ == 0 || control_ == 0) {
    fail(fmt::format("{}: no free TCP port or control port for the page", name_));
    return false;
  }
  return true;
}

void PageRun::run() {
  if (!prepare()) return;
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  const pid_t pid = start_driver(harness_ / "driver.sh", work_, harness_ / "driver.log",
                                 page_environment(options_, root_, port_, control_));
  if (pid < 0) {
    fail(fmt::format("{}: cannot start bash: {}", name_, std::strerror(errno)));
    return;
  }
  const bool finished = wait_for_driver(pid, options_.timeout);
  if (!finished) {
    stop_group(pid);
    int status = 0;
    ::waitpid(pid, &status, 0);
  }
  check_status(finished);
  // After a failure the page never reached its own clean-up: stop what it left, silently.
  const bool quiet = !result_.failures.empty();
  check_leftovers(pid, quiet);
  stop_session_daemons(quiet);
  reap_children();
  if (!options_.keep_directory) {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
}

void PageRun::check_block_failure(const RunBlock& block, const DriverStatus& status) {
  std::string where;
  const auto index = static_cast<std::size_t>(&block - page_.blocks.data());
  // bash's LINENO inside `eval` counts from the driver line that evals the block.
  const int page_line = block.line + status.error_driver_line - script_.eval_lines[index] + 1;
  const std::string command = block_line_text(block, page_line);
  if (block.expected_exit == 0 && page_line > block.line && !command.empty()) {
    where = fmt::format(" (the command at line {}: `{}`)", page_line, command);
  }
  fail(fmt::format("{}:{}: the ```sh block exited {}, expected {}{}\n{}", name_, block.line,
                   status.exit_code, block.expected_exit, where,
                   quote_output(output_of(block.line))));
}

void PageRun::check_status(bool finished) {
  const auto status = parse_driver_status(read_text(harness_ / "status"));
  const std::string current = read_text(harness_ / "current");
  const int current_line = current.empty() ? 0 : std::atoi(current.c_str());
  if (!finished) {
    fail(fmt::format("{}:{}: timed out after {} s in the ```sh block at this line\n{}", name_,
                     current_line, options_.timeout.count(),
                     quote_output(output_of(current_line))));
    check_consoles(current_line);
    return;
  }
  if (!status) {
    fail(fmt::format("{}: the page's shell ended without a status\n{}", name_,
                     quote_output(read_text(harness_ / "driver.log"))));
    return;
  }
  if (status->done) {
    result_.blocks_run = static_cast<int>(page_.blocks.size());
    check_consoles(std::numeric_limits<int>::max());
    return;
  }
  for (const RunBlock& block : page_.blocks) {
    if (block.line == status->block_line) check_block_failure(block, *status);
    if (block.line < status->block_line) ++result_.blocks_run;
  }
  check_consoles(status->block_line);
}

// Every ```console block of the blocks that finished: its lines, in order, in the output.
void PageRun::check_consoles(int last_completed_line) {
  const std::map<std::string, std::string> variables{
      {"${ISCSIM_PORT}", std::to_string(port_)}, {"${ISCSIM_CTL}", std::to_string(control_)}};
  for (const RunBlock& block : page_.blocks) {
    if (block.line >= last_completed_line) break;
    const std::string output = output_of(block.line);
    const std::vector<std::string> lines = split_lines(output);
    std::size_t from = 0;
    for (std::size_t i = 0; i < block.expected_lines.size(); ++i) {
      std::string expected = block.expected_lines[i];
      for (const auto& [variable, value] : variables) {
        for (std::size_t at = expected.find(variable); at != std::string::npos;
             at = expected.find(variable, at + value.size())) {
          expected.replace(at, variable.size(), value);
        }
      }
      const auto found = find_console_line(expected, lines, from);
      if (!found) {
        fail(fmt::format(
            "{}:{}: line {} of the ```console block, `{}`, is not in the output of the ```sh "
            "block at line {} (after the lines matched before it)\n{}",
            name_, block.console_line + 1 + static_cast<int>(i), i + 1, expected, block.line,
            quote_output(output)));
        break;
      }
      from = *found + 1;
    }
  }
}

void PageRun::check_leftovers(pid_t group, bool quiet) {
  const auto grace = quiet ? std::chrono::seconds(0) : options_.leftover_grace;
  if (wait_until([group] { return !group_alive(group); }, grace)) return;
  stop_group(group);
  if (quiet) return;
  fail(fmt::format("{}: the page left background processes running after its last block (stop "
                   "them as a student would, e.g. `kill %1; wait`)",
                   name_));
}

// `iscsim iscsiadm` starts a session daemon in its own session (setsid), outside the page's
// process group: find it by its pid file under the page's directories.
void PageRun::stop_session_daemons(bool quiet) {
  const auto grace = quiet ? std::chrono::seconds(0) : options_.leftover_grace;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root_, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->path().filename() != "iscsid.pid") continue;
    // Only a daemon of this page: `iscsim iscsid --home DIR` with DIR under the page's root.
    const pid_t pid = std::atoi(read_text(it->path()).c_str());
    const std::string command_line = read_text(fmt::format("/proc/{}/cmdline", pid));
    if (pid <= 1 || command_line.find("iscsid") == std::string::npos ||
        command_line.find(root_.string()) == std::string::npos) {
      continue;
    }
    if (wait_until([pid] { return !process_alive(pid); }, grace)) continue;
    ::kill(pid, SIGKILL);
    wait_until([pid] { return !process_alive(pid); }, std::chrono::seconds(3));
    if (quiet) continue;
    fail(fmt::format("{}: the page left a session daemon running ({}; log out every session "
                     "before the end, e.g. `iscsim iscsiadm -m node -U all`)",
                     name_, it->path().string()));
  }
}

}  // namespace

LabRunResult run_lab_page(const std::string& page_text, const std::string& name,
                          const LabRunOptions& options) {
  LabRunResult result;
  const ParsedPage parsed = parse_lab_page(page_text, name);
  result.failures = parsed.errors;
  if (!parsed.errors.empty()) return result;
  PageRun(parsed.page, name, options, result).run();
  return result;
}

}  // namespace iscsi::labs
