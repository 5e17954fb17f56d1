// `iscsim iscsi-iname`: open-iscsi's iscsi-iname output (prefix, ':', six bytes in unpadded
// lowercase hex), a new name on every run, -p, -g, and the prefix bound.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/support/run_command.hpp"

namespace iscsi::test {
namespace {

CommandResult iscsi_iname(std::vector<std::string> args) {
  args.insert(args.begin(), {ISCSIM_BINARY, "iscsi-iname"});
  return run_command(args);
}

// Six bytes printed with %x each: 6 to 12 lowercase hex digits.
const std::regex kDefaultName("iqn\\.2016-04\\.com\\.open-iscsi:[0-9a-f]{6,12}\n");

TEST(IscsimIscsiIname, PrintsTheDefaultPrefixColonAndLowercaseHex) {
  const CommandResult r = iscsi_iname({});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, kDefaultName)) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(IscsimIscsiIname, TwoRunsPrintDifferentNames) {
  const CommandResult first = iscsi_iname({});
  const CommandResult second = iscsi_iname({});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(std::regex_match(second.out, kDefaultName)) << second.out;
  EXPECT_NE(first.out, second.out);
}

TEST(IscsimIscsiIname, PrefixOptionAndInitiatorNameLine) {
  const CommandResult r = iscsi_iname({"-p", "iqn.2005-03.org.example"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex("iqn\\.2005-03\\.org\\.example:[0-9a-f]{6,12}\n")))
      << r.out;
  const CommandResult line = iscsi_iname({"--prefix", "iqn.2005-03.org.example", "-g"});
  EXPECT_EQ(line.exit_code, 0) << line.err;
  EXPECT_TRUE(std::regex_match(
      line.out, std::regex("InitiatorName=iqn\\.2005-03\\.org\\.example:[0-9a-f]{6,12}\n")))
      << line.out;
}

TEST(IscsimIscsiIname, APrefixPastTheBoundIsRefused) {
  EXPECT_EQ(iscsi_iname({"-p", std::string(210, 'a')}).exit_code, 0);
  const CommandResult r = iscsi_iname({"-p", std::string(211, 'a')});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("prefix too long"), std::string::npos) << r.err;
}

TEST(IscsimIscsiIname, HelpExplainsTheName) {
  const CommandResult r = iscsi_iname({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* text : {"initiator name", "--prefix", "iqn.2016-04.com.open-iscsi",
                           "random", "--generate-iname-prefix"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  }
}

}  // namespace
}  // namespace iscsi::test
