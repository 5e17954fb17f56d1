#pragma once
// Runs tgt's tgtd as a child process for interop tests, as scripts/bench-target.sh does: on
// 127.0.0.1 with a free port and a control port of its own (`tgtd -f -C N --iscsi
// portal=127.0.0.1:PORT`), ready once `tgtadm -C N --op show --mode system` answers. tgtd
// ignores SIGTERM, so it is stopped through tgtadm (every target deleted with --force, then
// `--op delete --mode system`), with SIGKILL only when that does not end it in time.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace iscsi::integration {

class TgtdProcess {
 public:
  // `control_offset` separates two instances started by one test process; `address` is the
  // loopback address it listens on.
  explicit TgtdProcess(std::uint32_t control_offset = 0, std::string address = "127.0.0.1");
  ~TgtdProcess();
  TgtdProcess(const TgtdProcess&) = delete;
  TgtdProcess& operator=(const TgtdProcess&) = delete;

  // False when tgtd is not installed (the test skips) or did not come up (output() says why).
  static bool installed();
  bool started() const { return started_; }
  std::uint16_t port() const { return port_; }
  std::uint32_t control_port() const { return control_port_; }
  std::string portal() const { return address_ + ":" + std::to_string(port_); }

  // `tgtadm -C <our control port> --lld iscsi <args>`.
  test::CommandResult tgtadm(const std::vector<std::string>& args) const;
  // Deletes every target, asks the daemon to exit, waits; SIGKILL after `limit`. True when it
  // exited on request.
  bool stop(std::chrono::milliseconds limit = std::chrono::seconds(10));
  std::string output() const;

 private:
  std::vector<std::string> target_ids() const;

  pid_t pid_ = -1;
  bool started_ = false;
  std::string log_path_;
  std::string address_;
  std::uint16_t port_ = 0;
  std::uint32_t control_port_ = 0;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
std::uint16_t free_loopback_port();

}  // namespace iscsi::integration
