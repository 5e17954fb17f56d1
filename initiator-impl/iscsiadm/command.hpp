#pragma once
// iscsiadm's command line (usr/iscsiadm.c main() of open-iscsi 2.1.8): the getopt loop, the
// checks after it, and each mode's list of allowed options (verify_mode_params), with
// iscsiadm's messages on stderr and its exit codes. -h and -V end the run at once.
#include <span>
#include <string>
#include <string_view>

#include "initiator-impl/iscsiadm/request.hpp"

namespace iscsi::initiator::iscsiadm {

inline constexpr std::string_view kVersion = "2.1.8";  // ISCSI_VERSION_STR
inline constexpr std::size_t kMaxIfaceNameLen = 63;    // ISCSI_MAX_IFACE_LEN - 1

// Text already printed and, when `run` is false, the exit code of the finished command.
// When `run` is true, `request` is to be executed and out/err hold what was printed before
// (getopt's complaints about options iscsiadm then ignores).
struct ParsedCommand {
  bool run = false;
  Request request;
  std::string out;
  std::string err;
  int exit_code = 0;
};

// `args` excludes the program name.
ParsedCommand parse_command(std::span<const std::string> args);

// The usage text of `iscsiadm --help` (stdout, exit 0).
std::string_view usage_text();

}  // namespace iscsi::initiator::iscsiadm
