// --op show layouts. The full-target layout and the parameter list are also compared with a
// recording of tgt 1.0.85 in tgtadm_transcript_test.cpp; these cases cover what the recording
// cannot (sessions, run-time LUN state, discovery accounts) with expectations written from
// tgt's format strings (usr/target.c, usr/iscsi/session.c, usr/iscsi/iscsi_tcp.c); the I_T
// nexus block was also compared with a live tgtd 1.0.85 holding one session.
#include "target-impl/config/show.hpp"

#include <gtest/gtest.h>

#include "tests/target-impl/config/fake_host.hpp"

namespace iscsi::target::config {
namespace {

TEST(ShowFormat, DiskSizeUsesTgtsDecimalMegabytes) {
  EXPECT_EQ(format_disk_size(0), "0 MB");
  EXPECT_EQ(format_disk_size(511), "0 MB");
  EXPECT_EQ(format_disk_size(64ULL << 20), "67 MB");
  EXPECT_EQ(format_disk_size(1ULL << 30), "1074 MB");
  EXPECT_EQ(format_disk_size(1ULL << 40), "1099512 MB");
  EXPECT_EQ(format_disk_size(1000000), "1 MB");
  EXPECT_EQ(format_disk_size(499712), "0 MB");  // tgt rounds at 976 blocks
  EXPECT_EQ(format_disk_size(500224), "1 MB");
}

TEST(ShowFormat, DefaultIdentifiers) {
  EXPECT_EQ(default_scsi_id(1, 1), "IET     00010001");
  EXPECT_EQ(default_scsi_id(0x12, 0x1abc), "IET     00121abc");
  EXPECT_EQ(default_scsi_sn(1, 1), "beaf11");
  EXPECT_EQ(default_scsi_sn(12, 3), "beaf123");
}

TEST(ShowTargets, SessionsNopRuntimeStateAndAcl) {
  SystemConfig config;
  TargetConfig& t = config.targets[3];
  t.tid = 3;
  t.name = "iqn.t3";
  t.nop_interval = 5;
  t.nop_count = 2;
  LunConfig lun;
  lun.lun = 1;
  lun.bstype = BackingType::ram;
  lun.backing_store = "ram:1G";
  lun.size_bytes = 1ULL << 30;
  lun.block_size = 4096;
  t.luns[1] = lun;
  t.incoming_users = {"alice", "carol"};
  t.outgoing_user = "bob";
  t.initiator_addresses.push_back(AddressRule{false, 0x0A000000, 8, "10.0.0.0/8"});
  t.initiator_names = {"iqn.client"};
  testing::FakeHost host;
  host.nexuses[3] = {NexusInfo{7, "iqn.client", "", {{0, "10.0.0.9"}}},
                     NexusInfo{8, "iqn.other", "laptop", {{0, "10.0.0.10"}, {1, "10.0.0.11"}}}};
  host.lun_states[{3, 1}] = LunRuntimeState{true, true};
  std::string expected =
      "Target 3: iqn.t3\n"
      "    System information:\n"
      "        Driver: iscsi\n"
      "        State: ready\n"
      "        Nop interval: 5\n"
      "        Nop count: 2\n"
      "    I_T nexus information:\n"
      "        I_T nexus: 7\n"
      "            Initiator: iqn.client alias: none\n"
      "            Connection: 0\n"
      "                IP Address: 10.0.0.9\n"
      "        I_T nexus: 8\n"
      "            Initiator: iqn.other alias: laptop\n"
      "            Connection: 0\n"
      "                IP Address: 10.0.0.10\n"
      "            Connection: 1\n"
      "                IP Address: 10.0.0.11\n"
      "    LUN information:\n"
      "        LUN: 0\n"
      "            Type: controller\n"
      "            SCSI ID: IET     00030000\n"
      "            SCSI SN: beaf30\n"
      "            Size: 0 MB, Block size: 1\n"
      "            Online: Yes\n"
      "            Removable media: No\n"
      "            Prevent removal: No\n"
      "            Readonly: No\n"
      "            SWP: No\n"
      "            Thin-provisioning: No\n"
      "            Backing store type: null\n"
      "            Backing store path: None\n"
      "            Backing store flags: \n"
      "        LUN: 1\n"
      "            Type: disk\n"
      "            SCSI ID: IET     00030001\n"
      "            SCSI SN: beaf31\n"
      "            Size: 1074 MB, Block size: 4096\n"
      "            Online: Yes\n"
      "            Removable media: No\n"
      "            Prevent removal: Yes\n"
      "            Readonly: No\n"
      "            SWP: Yes\n"
      "            Thin-provisioning: No\n"
      "            Backing store type: ram\n"
      "            Backing store path: ram:1G\n"
      "            Backing store flags: \n"
      "    Account information:\n"
      "        alice\n"
      "        carol\n"
      "        bob (outgoing)\n"
      "    ACL information:\n"
      "        10.0.0.0/8\n"
      "        iqn.client\n";
  EXPECT_EQ(show_targets(config, host), expected);
}

TEST(ShowTargets, NoTargetsPrintsNothing) {
  testing::FakeHost host;
  EXPECT_EQ(show_targets(SystemConfig{}, host), "");
}

TEST(ShowAccounts, NewestFirstAndNothingWhenEmpty) {
  SystemConfig config;
  EXPECT_EQ(show_accounts(config), "");
  config.accounts["zed"] = Account{"zed", "p", 1};
  config.accounts["amy"] = Account{"amy", "p", 2};
  EXPECT_EQ(show_accounts(config), "Account list:\n    amy\n    zed\n");
}

TEST(ShowSystem, DiscoveryAccountsAppearWithTgtsBlankLine) {
  SystemConfig config;
  std::string plain = show_system(config);
  EXPECT_EQ(plain.rfind("System:\n    State: ready\n    debug: off\nLLDs:\n    iscsi: ready\n", 0),
            0U);
  EXPECT_EQ(plain.find("Account information"), std::string::npos);
  config.discovery_incoming_users = {"disc"};
  config.discovery_outgoing_user = "back";
  std::string with = show_system(config);
  EXPECT_NE(with.find("    Account information:\n\n    disc\n    back (outgoing)\niSNS:\n"),
            std::string::npos);
}

TEST(ShowTargetParams, RedirectWithoutReasonShowsUnknown) {
  TargetConfig t;
  t.params["RedirectAddress"] = "1.2.3.4";
  EXPECT_EQ(show_target_params(t), "RedirectAddress=1.2.3.4\nRedirectPort=\nRedirectReason=Unknown\n");
}

TEST(ShowPortals, OneLinePerPortal) {
  testing::FakeHost host;
  host.portal_list = {"127.0.0.1:3260,1", "127.0.0.2:3261,1"};
  EXPECT_EQ(show_portals(host), "Portal: 127.0.0.1:3260,1\nPortal: 127.0.0.2:3261,1\n");
}

}  // namespace
}  // namespace iscsi::target::config
