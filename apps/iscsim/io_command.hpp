#pragma once
// Runs one `iscsim io` command on a logged-in session and says what happened, for the session
// daemon (`io --sid N`) and for the in-process URL mode alike.
#include <functional>
#include <string>

#include "apps/iscsim/io_options.hpp"
#include "initiator-impl/client/session.hpp"

namespace iscsim {

struct IoReply {
  int exit_code = kIoExitOk;
  std::string out;
  std::string err;  // "iscsim io: ...\n" lines
};

// Reads --in, runs the job, writes --out, and calls `done` once from the session's loop.
void run_io_command(iscsi::initiator::client::Session& session, const IoOptions& options,
                    std::function<void(IoReply)> done);

// Without --out, read data is printed as a hex dump up to this many bytes.
inline constexpr std::size_t kMaxHexDumpBytes = 1024 * 1024;

}  // namespace iscsim
