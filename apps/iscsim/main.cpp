// iscsim: iSCSI protocol simulator and conformance harness. Each subcommand lives in its own
// file under apps/iscsim/ and registers itself here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "apps/iscsim/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "iscsim " ISCSIM_VERSION
      " - iSCSI protocol simulator and conformance harness.\n"
      "A reference iSCSI target and initiator (RFC 7143) that run in a deterministic network\n"
      "simulator or over real sockets. Use `iscsim <command> --help` for each command."};
  app.set_version_flag("-V,--version", "iscsim " ISCSIM_VERSION);
  app.require_subcommand(0, 1);
  iscsim::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every usage error exits 2, as the subcommands'
    // own usage errors do (CLI11's own codes, 105..116, would mean nothing to a script).
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  }
  return iscsim::exit_code();
}
