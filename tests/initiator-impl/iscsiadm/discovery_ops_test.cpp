// Discovery mode around the protocol (usr/iscsiadm.c exec_disc_op / exec_disc2_op).
#include <gtest/gtest.h>

#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/discovery_ops.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

class DiscoveryOpsTest : public ::testing::Test {
 protected:
  DiscoveryPlan plan(std::vector<std::string> args) {
    ParsedCommand parsed = parse_command(args);
    EXPECT_TRUE(parsed.run) << parsed.err;
    return plan_discovery(db_, conf_, parsed.request);
  }
  void discover_one() {
    SendTargetsInput input;
    input.discovery_address = "10.0.0.1";
    input.portals = {{"iqn.x:a", "10.0.0.1", 3260, 1}};
    ASSERT_EQ(apply_sendtargets(db_, conf_, input, nullptr).exit_code, 0);
  }

  MemoryFileStore files_;
  NodeDb db_{files_};
  ConfFile conf_ = parse_conf("discovery.sendtargets.auth.authmethod = CHAP\n"
                              "discovery.sendtargets.auth.username = disc\n");
};

TEST_F(DiscoveryOpsTest, SendTargetsWritesRecordFromIscsidConf) {
  DiscoveryPlan p = plan({"-m", "discovery", "-t", "st", "-p", "10.0.0.1"});
  ASSERT_TRUE(p.sendtargets);
  EXPECT_EQ(p.report.exit_code, 0);
  EXPECT_EQ(p.sendtargets->get(keys::st_address), "10.0.0.1");
  EXPECT_EQ(p.sendtargets->get("discovery.sendtargets.auth.username"), "disc");
  EXPECT_TRUE(files_.exists("send_targets/10.0.0.1,3260/st_config"));
  // Discovery mode rewrites the record from iscsid.conf each time; discoverydb keeps edits.
  auto stored = db_.read_discovery("10.0.0.1", 3260);
  ASSERT_TRUE(stored);
  ASSERT_FALSE(stored->set_param("discovery.sendtargets.auth.username", "edited"));
  ASSERT_FALSE(db_.write_discovery(*stored));
  EXPECT_EQ(plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.1", "-D"})
                .sendtargets->get("discovery.sendtargets.auth.username"),
            "edited");
  EXPECT_EQ(plan({"-m", "discovery", "-t", "st", "-p", "10.0.0.1"})
                .sendtargets->get("discovery.sendtargets.auth.username"),
            "disc");
}

TEST_F(DiscoveryOpsTest, DiscoverydbWithoutDiscoverIsARecordOperation) {
  // exec_discover(): without -D a missing record is an error, -o new only adds it.
  DiscoveryPlan missing = plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9"});
  EXPECT_FALSE(missing.sendtargets);
  EXPECT_EQ(missing.report.exit_code, 6);
  EXPECT_EQ(missing.report.err, "iscsiadm: Discovery record [10.0.0.9,3260] not found.\n");
  DiscoveryPlan added = plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-o", "new"});
  EXPECT_FALSE(added.sendtargets);
  EXPECT_EQ(added.report.exit_code, 0);
  EXPECT_EQ(added.report.out, "New discovery record for [10.0.0.9,3260] added.\n");
  EXPECT_TRUE(files_.exists("send_targets/10.0.0.9,3260/st_config"));
  // do_db_op: update needs -n/-v, then edits the stored record; a plain call shows it.
  DiscoveryPlan bare = plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-o", "update"});
  EXPECT_EQ(bare.report.exit_code, 7);
  EXPECT_EQ(bare.report.err, "iscsiadm: Update requires name and value.\n");
  DiscoveryPlan updated =
      plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-o", "update", "-n",
            "discovery.sendtargets.auth.username", "-v", "edited"});
  EXPECT_EQ(updated.report.exit_code, 0);
  EXPECT_FALSE(updated.sendtargets);
  DiscoveryPlan shown = plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9"});
  EXPECT_EQ(shown.report.exit_code, 0);
  EXPECT_EQ(shown.report.out.rfind("# BEGIN RECORD 2.1.8\n", 0), 0U);
  EXPECT_NE(shown.report.out.find("discovery.sendtargets.auth.username = edited\n"),
            std::string::npos);
  // -l alone does not discover in discoverydb mode; -D does, with the stored record.
  EXPECT_FALSE(plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-l"}).sendtargets);
  DiscoveryPlan run = plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-D"});
  ASSERT_TRUE(run.sendtargets);
  EXPECT_EQ(run.sendtargets->get("discovery.sendtargets.auth.username"), "edited");
  DiscoveryPlan unsupported =
      plan({"-m", "discoverydb", "-t", "st", "-p", "10.0.0.9", "-o", "nonpersistent"});
  EXPECT_EQ(unsupported.report.err, "iscsiadm: Operation is not supported.\n");
}

TEST_F(DiscoveryOpsTest, NeedsAPortal) {
  DiscoveryPlan p = plan({"-m", "discovery", "-t", "st"});
  EXPECT_FALSE(p.sendtargets);
  EXPECT_EQ(p.report.exit_code, 7);
  EXPECT_EQ(p.report.err, "iscsiadm: Please specify portal as <ipaddr>[:<ipport>]\n");
  EXPECT_EQ(plan({"-m", "discovery", "-t", "slp", "-p", "1.2.3.4"}).report.err,
            "iscsiadm: SLP discovery is not fully implemented yet.\n");
}

TEST_F(DiscoveryOpsTest, ListShowAndDelete) {
  DiscoveryPlan empty = plan({"-m", "discovery"});
  EXPECT_EQ(empty.report.exit_code, 21);
  EXPECT_EQ(empty.report.err, "");
  ASSERT_TRUE(plan({"-m", "discovery", "-t", "st", "-p", "10.0.0.1"}).sendtargets);
  discover_one();
  EXPECT_EQ(plan({"-m", "discovery"}).report.out, "10.0.0.1:3260 via sendtargets\n");
  DiscoveryPlan shown = plan({"-m", "discovery", "-p", "10.0.0.1"});
  EXPECT_NE(shown.report.out.find("discovery.sendtargets.auth.authmethod = CHAP\n"),
            std::string::npos);
  EXPECT_EQ(plan({"-m", "discovery", "-p", "10.0.0.2"}).report.err,
            "iscsiadm: Discovery record [10.0.0.2,3260] not found!\n");
  EXPECT_EQ(plan({"-m", "discovery", "-p", "10.0.0.1", "-o", "update"}).report.err,
            "iscsiadm: Operations new and update for discovery mode is not supported. Use "
            "discoverydb mode.\n");
  EXPECT_TRUE(plan({"-m", "discovery", "-p", "10.0.0.1", "-D"}).sendtargets);
  DiscoveryPlan deleted = plan({"-m", "discovery", "-p", "10.0.0.1", "-o", "delete"});
  EXPECT_EQ(deleted.report.exit_code, 0);
  EXPECT_FALSE(files_.exists("send_targets"));
  EXPECT_TRUE(db_.all().empty());  // its node records went with it
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
