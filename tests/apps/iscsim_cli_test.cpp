// The iscsim command line: --help and --version work, unknown input fails clearly.
#include <gtest/gtest.h>

#include "tests/support/run_command.hpp"

namespace iscsi::test {
namespace {

CommandResult iscsim(std::vector<std::string> args) {
  args.insert(args.begin(), ISCSIM_BINARY);
  return run_command(args);
}

TEST(IscsimCli, VersionPrintsProjectVersion) {
  const CommandResult r = iscsim({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "iscsim " ISCSIM_VERSION "\n");
}

TEST(IscsimCli, HelpDescribesTheTool) {
  const CommandResult r = iscsim({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("iSCSI protocol simulator and conformance harness"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--version"), std::string::npos);
}

TEST(IscsimCli, NoArgumentsPrintsHelp) {
  const CommandResult r = iscsim({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Usage:"), std::string::npos) << r.out;
}

TEST(IscsimCli, UnknownOptionFailsWithAMessage) {
  const CommandResult r = iscsim({"--no-such-option"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--no-such-option"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace iscsi::test
