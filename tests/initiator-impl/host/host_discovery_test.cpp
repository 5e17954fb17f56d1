// `iscsiadm -m discovery` on an InitiatorHost against the reference target in the simulator:
// what SendTargets lists (ACLs, ifaces), what re-discovery does to the node records, iscsid.conf
// edits, an unreachable portal, and -d 1.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/initiator-impl/host/host_lab.hpp"

namespace iscsi::initiator::host::testing {
namespace {

std::string flat(std::string_view target, std::string_view portal = "10.0.0.2:3260,1") {
  return fmt::format("{} {}\n", portal, target);
}

TEST(HostDiscovery, ListsTheAdmittedTargetsAndWritesTheirRecords) {
  HostLab lab;
  configure_targets(lab);
  expect_report(lab.iscsiadm("-m discovery -t st -p 10.0.0.2"), 0, flat(kDisk) + flat(kChap), "");
  // The records, listed by path (target name order), on the default iface.
  expect_report(lab.iscsiadm("-m node"), 0, flat(kChap) + flat(kDisk), "");
  expect_report(lab.iscsiadm("-m discovery"), 0, "10.0.0.2:3260 via sendtargets\n", "");
  EXPECT_TRUE(lab.files().exists("nodes/iqn.2026-01.test.lab:disk/10.0.0.2,3260,1/default"));
  EXPECT_FALSE(lab.files().exists("nodes/iqn.2026-01.test.lab:acl"));
  EXPECT_FALSE(lab.files().exists("nodes/iqn.2026-01.test.lab:private"));
}

TEST(HostDiscovery, ThroughAnIfaceOnTheSecondAddressTheBoundTargetAppears) {
  HostLab lab;
  configure_targets(lab);
  expect_report(lab.iscsiadm("-m iface -I if2 -o new"), 0, "New interface if2 added\n", "");
  expect_report(lab.iscsiadm("-m iface -I if2 -o update -n iface.ipaddress -v 10.0.0.4"), 0,
                "if2 updated.\n", "");
  expect_report(lab.iscsiadm("-m discovery -t st -p 10.0.0.2 -I if2"), 0,
                flat(kDisk) + flat(kChap) + flat(kAcl), "");
  EXPECT_TRUE(lab.files().exists("nodes/iqn.2026-01.test.lab:acl/10.0.0.2,3260,1/if2"));
  expect_report(lab.iscsiadm(fmt::format("-m node -T {} -p 10.0.0.2 -I if2 -l", kAcl)), 0,
                fmt::format("Logging in to {0}\nLogin to {0} successful.\n", bracket(kAcl, "if2")),
                "");
  ASSERT_NE(lab.host().session(1), nullptr);
  EXPECT_EQ(lab.host().session(1)->key().initiator.ipv4, kSecondInitiatorIpv4);
}

TEST(HostDiscovery, WithLoginItLogsInToEveryRecordItFound) {
  HostLab lab;
  configure_targets(lab);
  // The CHAP target's fresh record has no credentials: that login fails, the disk's succeeds.
  expect_report(
      lab.iscsiadm("-m discovery -t st -p 10.0.0.2 -l"), 24,
      flat(kDisk) + flat(kChap) +
          fmt::format("Logging in to {0}\nLogging in to {1}\nLogin to {1} successful.\n",
                      bracket(kChap), bracket(kDisk)),
      fmt::format("iscsiadm: Could not login to {}.\n"
                  "iscsiadm: initiator reported error (24 - iSCSI login failed due to "
                  "authorization failure)\n"
                  "iscsiadm: Could not log into all portals\n"
                  "iscsiadm: target answered Login status 0x0201 (Authentication failure: the "
                  "initiator could not be successfully authenticated or target authentication "
                  "is not supported)\n",
                  bracket(kChap)));
  expect_report(lab.iscsiadm("-m session"), 0,
                fmt::format("tcp: [2] 10.0.0.2:3260,1 {} (non-flash)\n", kDisk), "");
}

TEST(HostDiscovery, IscsidConfEditsApplyOnlyAfterTheNextDiscovery) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  const std::string conf = *lab.files().read("iscsid.conf");
  ASSERT_EQ(lab.files().write("iscsid.conf", conf +
                                                 "node.session.auth.authmethod = CHAP\n"
                                                 "node.session.auth.username = labuser\n"
                                                 "node.session.auth.password = labsecret123\n"),
            std::nullopt);
  const std::string login = fmt::format("-m node -T {} -p 10.0.0.2 -l", kChap);
  // The record still has no credentials: the target refuses it (0x0201).
  EXPECT_EQ(lab.iscsiadm(login).exit_code, 24);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  expect_report(lab.iscsiadm(login), 0,
                fmt::format("Logging in to {0}\nLogin to {0} successful.\n", bracket(kChap)), "");
}

TEST(HostDiscovery, RediscoveryReplacesRecordsAndAnEmptyAnswerChangesNothing) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  const std::string timeout_key = "node.conn[0].timeo.login_timeout";
  const std::string disk = fmt::format("-m node -T {} -p 10.0.0.2", kDisk);
  expect_report(lab.iscsiadm(disk + " -o update -n " + timeout_key + " -v 30"), 0, "", "");
  EXPECT_NE(lab.iscsiadm(disk + " -o show").out.find(timeout_key + " = 30\n"), std::string::npos);
  // The CHAP target leaves the answer: its record goes; the disk's edit is overwritten.
  lab.configure("--lld iscsi --op unbind --mode target --tid 3 -I ALL");
  expect_report(lab.iscsiadm("-m discovery -t st -p 10.0.0.2"), 0, flat(kDisk), "");
  expect_report(lab.iscsiadm("-m node"), 0, flat(kDisk), "");
  EXPECT_NE(lab.iscsiadm(disk + " -o show").out.find(timeout_key + " = 15\n"), std::string::npos);
  // Nothing listed at all: iscsiadm keeps every record.
  lab.configure("--lld iscsi --op unbind --mode target --tid 1 -I ALL");
  expect_report(lab.iscsiadm("-m discovery -t st -p 10.0.0.2"), 21, "",
                "iscsiadm: No portals found\n");
  expect_report(lab.iscsiadm("-m node"), 0, flat(kDisk), "");
}

TEST(HostDiscovery, AnUnreachablePortalIsRetriedReopenMaxTimesThenExits11) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.files().write("iscsid.conf", "discovery.sendtargets.reopen_max = 2\n"),
            std::nullopt);
  expect_report(lab.iscsiadm("-m discovery -t st -p 10.0.0.2:3261"), 11, "",
                "iscsiadm: cannot make connection to 10.0.0.2: Connection refused\n"
                "iscsiadm: cannot make connection to 10.0.0.2: Connection refused\n"
                "iscsiadm: cannot make connection to 10.0.0.2: Connection refused\n"
                "iscsiadm: connection login retries (reopen_max) 2 exceeded\n"
                "iscsiadm: Could not perform SendTargets discovery: iSCSI PDU timed out\n"
                "iscsiadm: no Login status: TCP connection to 10.0.0.2:3261 refused\n");
  EXPECT_EQ(lab.refused_connects(), 3u);
}

TEST(HostDiscovery, DebugLevelOnePrintsEveryPduOfTheCommand) {
  HostLab lab;
  configure_targets(lab);
  const iscsiadm::Report report = lab.iscsiadm("-d 1 -m discovery -t st -p 10.0.0.2");
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.out, flat(kDisk) + flat(kChap));
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < report.err.size();) {
    const std::size_t end = report.err.find('\n', at);
    lines.push_back(report.err.substr(at, end - at));
    at = end + 1;
  }
  const std::vector<std::string> expected = {
      "iscsiadm: PDU > Login Request",  "iscsiadm: PDU < Login Response",
      "iscsiadm: PDU > Text Request",   "iscsiadm: PDU < Text Response",
      "iscsiadm: PDU > Logout Request", "iscsiadm: PDU < Logout Response"};
  ASSERT_EQ(lines.size(), expected.size()) << report.err;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].rfind(expected[i] + " ", 0), 0u) << lines[i];
  }
  EXPECT_NE(lines[0].find("SessionType=Discovery"), std::string::npos) << lines[0];
  EXPECT_NE(lines[2].find("SendTargets=All"), std::string::npos) << lines[2];
  // Without -d the next command prints none.
  EXPECT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").err, "");
}

}  // namespace
}  // namespace iscsi::initiator::host::testing
