#pragma once
// The admin command of a live run (RunOptions::live, `--target-admin CMD`): `sh -c CMD` with
// tgtadm lines on its stdin, one per line; its exit code and output are the lines' outcome.
// Bounded by a wall-clock limit, after which its process group is killed.
#include <string>

#include "core/runtime/clock.hpp"

namespace iscsi::scenarios {

struct AdminReply {
  int exit_code = -1;  // 128+N when killed by signal N; 127 when sh could not start
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Output past this many bytes (stdout and stderr together) ends the command as a failure.
inline constexpr std::size_t kAdminOutputLimit = 16 * 1024 * 1024;

AdminReply run_admin_command(const std::string& command, const std::string& input,
                             runtime::Duration limit);

}  // namespace iscsi::scenarios
