#pragma once
// An $ISCSIM_HOME of one test: a fresh directory, `iscsim` commands run with ISCSIM_HOME set
// to it, and the session daemon of that home watched and, when the test ends, stopped
// (SIGTERM, SIGKILL after a bound), so no test leaves a daemon behind.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace iscsi::integration {

class IscsimHome {
 public:
  IscsimHome();
  ~IscsimHome();
  IscsimHome(const IscsimHome&) = delete;
  IscsimHome& operator=(const IscsimHome&) = delete;

  const std::string& path() const { return path_; }
  // `ISCSIM_HOME=<path> iscsim <args>`; `env` adds variables (NAME=VALUE).
  test::CommandResult iscsim(const std::vector<std::string>& args,
                             const std::vector<std::string>& env = {},
                             std::chrono::seconds timeout = std::chrono::seconds(120)) const;
  test::CommandResult iscsiadm(const std::vector<std::string>& args) const;

  // The daemon's pid from iscsid.pid, while that process runs.
  std::optional<pid_t> daemon_pid() const;
  // True once no daemon runs for this home and its socket file is gone, within `limit`.
  bool daemon_gone_within(std::chrono::milliseconds limit) const;
  void stop_daemon();
  std::string daemon_log() const;

 private:
  std::string path_;
  // Every daemon pid seen, so one that lost its pid file is still stopped.
  mutable std::vector<pid_t> seen_;
};

// True while `pid` names a process that has not exited (a zombie counts as exited).
bool process_running(pid_t pid);

}  // namespace iscsi::integration
