#pragma once
// Runs `iscsim target` as a child process for interop tests: on 127.0.0.1 with a port the
// system picks (read back from its "listening on" line) and a control port of its own, stopped
// with SIGTERM (SIGKILL only if it does not exit in time) when the object goes, so no test
// leaks a process.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace iscsi::integration {

class TargetProcess {
 public:
  // Starts the target; started() tells whether it came up and printed its portal.
  explicit TargetProcess(std::vector<std::string> extra_args = {});
  ~TargetProcess();
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  bool started() const { return port_ != 0; }
  std::uint16_t port() const { return port_; }
  std::uint32_t control_port() const { return control_port_; }
  std::string portal() const { return "127.0.0.1:" + std::to_string(port_); }
  // `iscsim tgtadm -C <our control port> <args>`.
  test::CommandResult tgtadm(const std::vector<std::string>& args) const;
  // A shell command for `iscsim run --target-admin` (scenarios::LiveTarget::admin_command):
  // each tgtadm line on stdin, its program word dropped, run as `iscsim tgtadm -C N ARGS`; the
  // first failure ends it with its exit code.
  std::string admin_command() const;
  // SIGTERM, then the exit status (128+N when killed by signal N); nullopt if it had to be
  // killed after `limit`.
  std::optional<int> stop(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Everything the target printed so far (stdout and stderr).
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::uint16_t port_ = 0;
  std::uint32_t control_port_ = 0;
};

// A control port number unlikely to collide with a parallel test process.
std::uint32_t unique_control_port();

}  // namespace iscsi::integration
