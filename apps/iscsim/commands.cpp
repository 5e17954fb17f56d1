#include "apps/iscsim/commands.hpp"

namespace iscsim {
namespace {
int g_exit_code = 0;  // set once by the one subcommand that runs
}  // namespace

void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

void register_commands(CLI::App& app) {
  register_keys_command(app);
  register_chap_command(app);
  register_pdu_command(app);
  register_target_command(app);
  register_tgtadm_command(app);
  register_iscsi_iname_command(app);
  register_iscsiadm_command(app);
  register_iscsid_command(app);
  register_io_command(app);
  register_run_command(app);
  register_report_command(app);
}

}  // namespace iscsim
