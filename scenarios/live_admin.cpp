#include "scenarios/live_admin.hpp"

#include <chrono>

#include "core/process/run_process.hpp"

namespace iscsi::scenarios {

AdminReply run_admin_command(const std::string& command, const std::string& input,
                             runtime::Duration limit) {
  process::Options options;
  options.stdin_data = input;
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(limit);
  options.output_limit_bytes = kAdminOutputLimit;
  process::Result done = process::run({"sh", "-c", command}, options);
  AdminReply reply;
  reply.exit_code = done.exit_code;
  reply.timed_out = done.timed_out;
  reply.out = std::move(done.out);
  reply.err = done.started ? std::move(done.err)
                           : "the admin command could not be started (" + done.err + ")\n";
  return reply;
}

}  // namespace iscsi::scenarios
