// `iscsim iscsiadm`, its session daemon and `iscsim io` against the reference target as a
// process (`iscsim target` on 127.0.0.1), each case with its own $ISCSIM_HOME: discovery,
// login, `-m session`, I/O through the daemon's session, a second login (exit 15), logout, and
// the daemon's life cycle (gone after the last logout, never left behind by a failed first
// login), and a portal nobody listens on (exit 11 for discovery, 4 for a login, after the
// retries iscsid.conf and the node record allow).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/integration/iscsim_home.hpp"
#include "tests/integration/target_process.hpp"

namespace iscsi::integration {
namespace {

using std::chrono::seconds;

constexpr const char* kInteropIqn = "iqn.2026-01.org.iscsim:interop.disk1";

// A loopback port that was free a moment ago and has no listener now.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  return bound ? ntohs(address.sin_port) : 0;
}

class IscsiadmTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(target_.started()) << target_.output();
    ASSERT_FALSE(home_.path().empty());
    for (const auto& line : std::vector<std::vector<std::string>>{
             {"--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "1", "-T", kInteropIqn},
             {"--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1",
              "--bstype", "ram", "-b", "16M"},
             {"--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL"}}) {
      const auto done = target_.tgtadm(line);
      ASSERT_EQ(done.exit_code, 0) << test::describe(done);
    }
  }

  std::string portal_comma() const { return "127.0.0.1," + std::to_string(target_.port()); }
  std::string bracket() const {
    return "[iface: default, target: " + std::string(kInteropIqn) + ", portal: " + portal_comma() +
           "]";
  }
  test::CommandResult login() const {
    return home_.iscsiadm({"-m", "node", "-T", kInteropIqn, "-p", target_.portal(), "-l"});
  }
  void discover() const {
    const auto found = home_.iscsiadm({"-m", "discovery", "-t", "st", "-p", target_.portal()});
    ASSERT_EQ(found.exit_code, 0) << test::describe(found);
    EXPECT_EQ(found.out, target_.portal() + ",1 " + kInteropIqn + "\n");
  }

  TargetProcess target_;
  IscsimHome home_;
};

TEST_F(IscsiadmTargetTest, DiscoveryLoginIoSecondLoginLogoutAndTheDaemonsLife) {
  discover();
  // Discovery runs in process: no daemon.
  EXPECT_FALSE(home_.daemon_pid().has_value());
  const auto none = home_.iscsiadm({"-m", "session"});
  EXPECT_EQ(none.exit_code, 21) << test::describe(none);
  EXPECT_EQ(none.err, "iscsiadm: No active sessions.\n");

  const auto in = login();
  ASSERT_EQ(in.exit_code, 0) << test::describe(in) << home_.daemon_log();
  EXPECT_EQ(in.out, "Logging in to " + bracket() + "\nLogin to " + bracket() + " successful.\n");
  EXPECT_EQ(in.err, "");
  EXPECT_TRUE(home_.daemon_pid().has_value()) << home_.daemon_log();

  const auto listed = home_.iscsiadm({"-m", "session"});
  ASSERT_EQ(listed.exit_code, 0) << test::describe(listed);
  EXPECT_EQ(listed.out, "tcp: [1] " + target_.portal() + ",1 " + kInteropIqn + " (non-flash)\n");

  const auto written = home_.iscsim(
      {"io", "write", "--sid", "1", "--lun", "1", "--length", "4M", "--pattern-seed", "7"});
  ASSERT_EQ(written.exit_code, 0) << test::describe(written);
  EXPECT_EQ(written.out.rfind("LUN 1: wrote 4194304 bytes at offset 0 in ", 0), 0U) << written.out;
  const auto verified = home_.iscsim(
      {"io", "verify", "--sid", "1", "--lun", "1", "--length", "4M", "--pattern-seed", "7"});
  EXPECT_EQ(verified.exit_code, 0) << test::describe(verified);
  // Another seed's pattern is not what was written: verify must say so.
  const auto other = home_.iscsim(
      {"io", "verify", "--sid", "1", "--lun", "1", "--length", "4M", "--pattern-seed", "8"});
  EXPECT_EQ(other.exit_code, 1) << test::describe(other);
  EXPECT_NE(other.err.find("iscsim io: "), std::string::npos) << test::describe(other);
  // A file written with --in comes back byte for byte with --out (the daemon opens both).
  const std::string in_file = home_.path() + "/in.bin";
  const std::string out_file = home_.path() + "/out.bin";
  std::string data(256 * 1024, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  }
  std::ofstream(in_file, std::ios::binary) << data;
  const auto put =
      home_.iscsim({"io", "write", "--sid", "1", "--lun", "1", "--offset", "8M", "--in", in_file});
  ASSERT_EQ(put.exit_code, 0) << test::describe(put);
  const auto got = home_.iscsim({"io", "read", "--sid", "1", "--lun", "1", "--offset", "8M",
                                 "--length", "256K", "--out", out_file});
  ASSERT_EQ(got.exit_code, 0) << test::describe(got);
  std::ifstream back(out_file, std::ios::binary);
  const std::string read_back((std::istreambuf_iterator<char>(back)),
                              std::istreambuf_iterator<char>());
  EXPECT_TRUE(read_back == data) << "read back " << read_back.size() << " bytes";
  const auto missing = home_.iscsim({"io", "tur", "--sid", "9"});
  EXPECT_EQ(missing.exit_code, 3) << test::describe(missing);

  const auto again = login();
  EXPECT_EQ(again.exit_code, 15) << test::describe(again);
  // iscsiadm finds the session before it would print "Logging in to".
  EXPECT_EQ(again.out, "");
  EXPECT_NE(again.err.find("iscsiadm: default: 1 session requested, but 1 already present.\n"),
            std::string::npos)
      << test::describe(again);

  const auto out = home_.iscsiadm({"-m", "node", "-T", kInteropIqn, "-p", target_.portal(), "-u"});
  ASSERT_EQ(out.exit_code, 0) << test::describe(out);
  const std::string session =
      "[sid: 1, target: " + std::string(kInteropIqn) + ", portal: " + portal_comma() + "]";
  EXPECT_EQ(out.out,
            "Logging out of session " + session + "\nLogout of " + session + " successful.\n");
  // The last session is gone: so is the daemon, with its socket.
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  const auto after = home_.iscsiadm({"-m", "session"});
  EXPECT_EQ(after.exit_code, 21) << test::describe(after);
}

TEST_F(IscsiadmTargetTest, AFailedFirstLoginLeavesNoDaemon) {
  const std::string unknown = "iqn.2026-01.org.iscsim:interop.absent";
  const auto made =
      home_.iscsiadm({"-m", "node", "-o", "new", "-T", unknown, "-p", target_.portal()});
  ASSERT_EQ(made.exit_code, 0) << test::describe(made);
  const auto refused = home_.iscsiadm({"-m", "node", "-T", unknown, "-p", target_.portal(), "-l"});
  EXPECT_NE(refused.exit_code, 0) << test::describe(refused);
  EXPECT_NE(refused.err.find("iscsiadm: Could not login to [iface: default, target: " + unknown),
            std::string::npos)
      << test::describe(refused);
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  // The log tells why it went.
  EXPECT_NE(home_.daemon_log().find("no session left: exiting"), std::string::npos)
      << home_.daemon_log();
}

TEST_F(IscsiadmTargetTest, SigtermLogsOutEverySessionThenTheDaemonExits) {
  discover();
  ASSERT_EQ(login().exit_code, 0) << home_.daemon_log();
  const auto pid = home_.daemon_pid();
  ASSERT_TRUE(pid.has_value());
  ::kill(*pid, SIGTERM);
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(40))) << home_.daemon_log();
  EXPECT_NE(home_.daemon_log().find("logout of all sessions: exit 0"), std::string::npos)
      << home_.daemon_log();
  // The target saw the logout: no I_T nexus is left.
  const auto shown = target_.tgtadm({"--lld", "iscsi", "--op", "show", "--mode", "target"});
  EXPECT_EQ(shown.out.find("I_T nexus: "), std::string::npos) << shown.out;
}

TEST(IscsidLifecycle, AnIdleDaemonLeavesAndASecondOneForTheSameHomeChangesNothing) {
  IscsimHome home;
  const auto started = home.iscsim({"iscsid", "--home", home.path(), "--idle-seconds", "2"});
  ASSERT_EQ(started.exit_code, 0) << test::describe(started);
  const auto first = home.daemon_pid();
  ASSERT_TRUE(first.has_value()) << home.daemon_log();
  struct stat info {};
  ASSERT_EQ(::stat((home.path() + "/iscsid.sock").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);
  // One daemon per home: the second finds the socket answered and leaves.
  const auto second = home.iscsim({"iscsid", "--home", home.path(), "--idle-seconds", "2"});
  EXPECT_EQ(second.exit_code, 0) << test::describe(second);
  EXPECT_EQ(home.daemon_pid(), first);
  // No request came and it holds no session: it goes after its idle limit.
  EXPECT_TRUE(home.daemon_gone_within(std::chrono::seconds(20))) << home.daemon_log();
  EXPECT_NE(home.daemon_log().find("no request and no session since the start: exiting"),
            std::string::npos)
      << home.daemon_log();
}

TEST(IscsimIoCli, UsageErrorsAndHelp) {
  IscsimHome home;
  const auto help = home.iscsim({"io", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Usage: iscsim io COMMAND (--sid N | URL)"), std::string::npos);
  const auto neither = home.iscsim({"io", "inquiry"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("give either --sid N"), std::string::npos) << neither.err;
  const auto bad = home.iscsim({"io", "format", "--sid", "1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown command format"), std::string::npos) << bad.err;
  // No daemon serves this home: --sid has nobody to ask.
  const auto nobody = home.iscsim({"io", "tur", "--sid", "1"});
  EXPECT_EQ(nobody.exit_code, 3);
  EXPECT_NE(nobody.err.find("no session daemon serves"), std::string::npos) << nobody.err;
}

TEST(IscsimIscsiadmCli, HelpIsIscsiadmsUsageAndNothingIsWrittenOutsideTheHome) {
  IscsimHome home;
  const auto help = home.iscsiadm({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("iscsiadm -m discovery"), std::string::npos) << help.out;
  const std::string nested = home.path() + "/nested/home";
  const auto listed = home.iscsim({"iscsiadm", "-m", "node"}, {"ISCSIM_HOME=" + nested});
  EXPECT_EQ(listed.exit_code, 21) << test::describe(listed);
  struct stat info {};
  ASSERT_EQ(::stat(nested.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
}

}  // namespace
}  // namespace iscsi::integration

namespace iscsi::integration {
namespace {

TEST(IscsiadmUnreachable, DiscoveryExits11AndALoginExits4AfterTheirRetries) {
  IscsimHome home;
  const std::uint16_t port = closed_port();
  ASSERT_NE(port, 0);
  const std::string portal = "127.0.0.1:" + std::to_string(port);
  // The first command writes the default iscsid.conf; then one reconnect for discovery.
  ASSERT_EQ(home.iscsiadm({"-m", "session"}).exit_code, 21);
  {
    std::ofstream conf(home.path() + "/iscsid.conf", std::ios::app);
    conf << "\ndiscovery.sendtargets.reopen_max = 1\n";
  }
  const auto found = home.iscsiadm({"-m", "discovery", "-t", "st", "-p", portal});
  EXPECT_EQ(found.exit_code, 11) << test::describe(found);
  EXPECT_EQ(found.out, "");
  EXPECT_EQ(found.err,
            "iscsiadm: cannot make connection to 127.0.0.1: Connection refused\n"
            "iscsiadm: cannot make connection to 127.0.0.1: Connection refused\n"
            "iscsiadm: connection login retries (reopen_max) 1 exceeded\n"
            "iscsiadm: Could not perform SendTargets discovery: iSCSI PDU timed out\n"
            "iscsiadm: no Login status: TCP connection to " +
                portal + " refused\n");

  const std::string target = "iqn.2026-01.org.iscsim:interop.nowhere";
  ASSERT_EQ(home.iscsiadm({"-m", "node", "-o", "new", "-T", target, "-p", portal}).exit_code, 0);
  ASSERT_EQ(home.iscsiadm({"-m", "node", "-T", target, "-p", portal, "-o", "update", "-n",
                           "node.session.initial_login_retry_max", "-v", "1"})
                .exit_code,
            0);
  const auto refused = home.iscsiadm({"-m", "node", "-T", target, "-p", portal, "-l"});
  const std::string bracket =
      "[iface: default, target: " + target + ", portal: 127.0.0.1," + std::to_string(port) + "]";
  EXPECT_EQ(refused.exit_code, 4) << test::describe(refused);
  EXPECT_EQ(refused.out, "Logging in to " + bracket + "\n");
  EXPECT_EQ(refused.err,
            "iscsiadm: Could not login to " + bracket +
                ".\n"
                "iscsiadm: initiator reported error (4 - encountered connection failure)\n"
                "iscsiadm: Could not log into all portals\n"
                "iscsiadm: no Login status: TCP connection to " +
                portal + " refused\n");
  EXPECT_TRUE(home.daemon_gone_within(std::chrono::seconds(10))) << home.daemon_log();
}

}  // namespace
}  // namespace iscsi::integration
