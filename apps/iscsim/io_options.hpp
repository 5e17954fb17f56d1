#pragma once
// The command line of `iscsim io`, read the same way by the front end and by the session
// daemon (which gets the arguments of an `io --sid N` request as typed, with --in/--out made
// absolute by the front end).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "initiator-impl/io/io_job.hpp"

namespace iscsim {

// Exit codes of `iscsim io` (docs/iscsiadm.md).
inline constexpr int kIoExitOk = 0;
inline constexpr int kIoExitFailed = 1;      // the SCSI work failed, or verify found a mismatch
inline constexpr int kIoExitUsage = 2;       // a bad command line
inline constexpr int kIoExitNoSession = 3;   // no such session, login failed, no daemon

struct IoOptions {
  iscsi::initiator::io::JobKind kind = iscsi::initiator::io::JobKind::inquiry;
  std::optional<int> sid;          // --sid: a session of the daemon
  std::optional<std::string> url;  // or a libiscsi URL (in process)
  std::optional<std::uint64_t> lun;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint32_t block_bytes = 64 * 1024;
  unsigned queue_depth = 16;
  std::uint64_t pattern_seed = 1;
  std::optional<std::string> in_file;
  std::optional<std::string> out_file;
  std::optional<std::string> initiator_name;  // URL mode: the name to log in with
};

struct ParsedIoArgs {
  std::optional<IoOptions> options;  // set when the line is good
  bool help = false;                 // --help: print io_usage(), exit 0
  std::string error;                 // otherwise: one sentence
};
ParsedIoArgs parse_io_args(const std::vector<std::string>& args);

// The same arguments with the files of --in and --out made absolute (the daemon's working
// directory is not the caller's).
std::vector<std::string> with_absolute_files(const std::vector<std::string>& args);

std::string_view io_usage();

}  // namespace iscsim
