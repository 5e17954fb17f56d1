#pragma once
// Registration of iscsim's subcommands. Each register_* function adds one CLI11 subcommand
// whose callback stores the process exit code through set_exit_code().
#include <CLI/CLI.hpp>

namespace iscsim {

void register_commands(CLI::App& app);

void register_keys_command(CLI::App& app);
void register_chap_command(CLI::App& app);
void register_pdu_command(CLI::App& app);
void register_target_command(CLI::App& app);
void register_tgtadm_command(CLI::App& app);
void register_iscsi_iname_command(CLI::App& app);
void register_iscsiadm_command(CLI::App& app);
void register_iscsid_command(CLI::App& app);
void register_io_command(CLI::App& app);
void register_run_command(CLI::App& app);
void register_report_command(CLI::App& app);

void set_exit_code(int code);
int exit_code();

}  // namespace iscsim
