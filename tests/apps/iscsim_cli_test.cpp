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

TEST(IscsimKeys, TableListsEveryOperationalKey) {
  const CommandResult r = iscsim({"keys"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"HeaderDigest", "MaxRecvDataSegmentLength", "FirstBurstLength",
                          "ErrorRecoveryLevel", "SessionType", "iSCSIProtocolLevel"}) {
    EXPECT_NE(r.out.find(key), std::string::npos) << key;
  }
}

TEST(IscsimKeys, OneKeyInDetail) {
  const CommandResult r = iscsim({"keys", "MaxBurstLength"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("RFC 7143 §13.13"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("262144"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("512-16777215"), std::string::npos) << r.out;
}

TEST(IscsimKeys, UnknownKeyIsAnErrorThatExplainsCaseSensitivity) {
  const CommandResult r = iscsim({"keys", "maxburstlength"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("case-sensitive"), std::string::npos) << r.err;
}

// Expected values computed independently with
//   (printf '\x01'; printf 123456; printf '\x01\x02...\x10') | openssl dgst -md5
TEST(IscsimChap, Md5ResponseMatchesOpenssl) {
  const CommandResult r = iscsim({"chap", "-a", "5", "-i", "1", "-s", "123456", "-c",
                                  "0x0102030405060708090a0b0c0d0e0f10"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "CHAP_R=0x93fe8470200081333e9435f03f0d1aa5\n");
  EXPECT_NE(r.err.find("at least 12"), std::string::npos) << "short secret warning: " << r.err;
}

TEST(IscsimChap, Base64ChallengeAndAnswer) {
  // AQIDBAUGBwgJCgsMDQ4PEA== is the same 16 bytes 01..10 in base64.
  const CommandResult r = iscsim({"chap", "-a", "5", "-i", "1", "-s", "123456", "-c",
                                  "0bAQIDBAUGBwgJCgsMDQ4PEA==", "--base64"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "CHAP_R=0bk/6EcCAAgTM+lDXwPw0apQ==\n");
}

TEST(IscsimChap, BadChallengeNamesTheProblem) {
  const CommandResult r = iscsim({"chap", "-a", "5", "-i", "1", "-s", "x", "-c", "0xzz"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("text.bad-binary-value"), std::string::npos) << r.err;
}

TEST(IscsimChap, UnknownAlgorithmIsRefused) {
  const CommandResult r = iscsim({"chap", "-a", "9", "-i", "1", "-s", "x", "-c", "0x01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("CHAP_A=9"), std::string::npos) << r.err;
}

// The READ(10) BHS of the digest test vector (RFC 7143 appendix), with its header digest.
constexpr const char* kRead10Bhs =
    "01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018 "
    "28000000 00000000 02000000 00000000";

TEST(IscsimPduDecode, DescribesEachPdu) {
  const CommandResult r = iscsim({"pdu", "decode", "--header-digest", kRead10Bhs, "563a96d9"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0: SCSI Command ITT=0x14000000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("EDTL=1024"), std::string::npos) << r.out;
}

TEST(IscsimPduDecode, ReadsStandardInput) {
  CommandOptions options;
  options.stdin_data = std::string(kRead10Bhs) + "\n";
  const CommandResult r = run_command({ISCSIM_BINARY, "pdu", "decode"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CmdSN=20 ExpStatSN=24"), std::string::npos) << r.out;
}

TEST(IscsimPduDecode, HeaderDigestMismatchNamesTheRule) {
  const CommandResult r = iscsim({"pdu", "decode", "--header-digest", kRead10Bhs, "563a96d8"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("pdu.header-digest-mismatch (RFC 7143 §13.1)"), std::string::npos)
      << r.out;
}

TEST(IscsimPduDecode, ReservedOpcodeIsATypedError) {
  std::string bhs = "07" + std::string(94, '0');
  const CommandResult r = iscsim({"pdu", "decode", bhs});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("pdu.reserved-opcode"), std::string::npos) << r.out;
}

TEST(IscsimPduDecode, TruncatedInputIsReported) {
  const CommandResult r = iscsim({"pdu", "decode", "01c0000000000000"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("pdu.truncated"), std::string::npos) << r.out;
}

TEST(IscsimPduDecode, NonHexInputIsRefused) {
  const CommandResult r = iscsim({"pdu", "decode", "zz"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not hex"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace iscsi::test
