// open-iscsi's node database semantics (peer-behaviour.md "Node records"; usr/iscsiadm.c
// do_software_sendtargets, exec_disc_op_on_recs, exec_node_op).
#include <gtest/gtest.h>

#include <algorithm>

#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "initiator-impl/iscsiadm/node_db.hpp"
#include "initiator-impl/iscsiadm/node_ops.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

constexpr std::string_view kDisk1 = "iqn.2001-04.com.example:disk1";
constexpr std::string_view kDisk2 = "iqn.2001-04.com.example:disk2";

class NodeDbTest : public ::testing::Test {
 protected:
  SendTargetsInput answer(std::vector<DiscoveredPortal> portals) {
    SendTargetsInput input;
    input.discovery_address = "192.168.1.10";
    input.discovery_port = 3260;
    input.portals = std::move(portals);
    return input;
  }
  Report run(std::vector<std::string> args) {
    ParsedCommand parsed = parse_command(args);
    EXPECT_TRUE(parsed.run) << parsed.err;
    return run_node_records(db_, conf_, parsed.request, nullptr);
  }
  Report discover(std::vector<DiscoveredPortal> portals) {
    return apply_sendtargets(db_, conf_, answer(std::move(portals)), nullptr);
  }

  MemoryFileStore files_;
  NodeDb db_{files_};
  ConfFile conf_ = parse_conf("node.session.auth.authmethod = CHAP\n"
                              "node.session.auth.username = alice\n");
};

TEST_F(NodeDbTest, DiscoveryCreatesRecordsFromIscsidConfAndPrintsThem) {
  Report report = discover({{std::string(kDisk1), "192.168.1.10", 3260, 1},
                            {std::string(kDisk2), "192.168.1.11", 3261, 2}});
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_EQ(report.out,
            "192.168.1.10:3260,1 iqn.2001-04.com.example:disk1\n"
            "192.168.1.11:3261,2 iqn.2001-04.com.example:disk2\n");
  EXPECT_EQ(report.err, "");
  ASSERT_TRUE(files_.exists("nodes/iqn.2001-04.com.example:disk1/192.168.1.10,3260,1/default"));
  auto nodes = db_.all();
  ASSERT_EQ(nodes.size(), 2U);
  const Record& rec = nodes[0].record;
  EXPECT_EQ(rec.get(keys::authmethod), "CHAP");
  EXPECT_EQ(rec.get(keys::username), "alice");
  EXPECT_EQ(rec.get(keys::disc_address), "192.168.1.10");
  EXPECT_EQ(rec.get(keys::disc_port), "3260");
  EXPECT_EQ(rec.get(keys::disc_type), "send_targets");
  EXPECT_EQ(rec.get(keys::iface_name), "default");
}

TEST_F(NodeDbTest, RediscoveryOverwritesEditsAndDeletesVanishedTargets) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1},
                      {std::string(kDisk2), "192.168.1.10", 3260, 1}})
                .exit_code,
            0);
  Report edit = run({"-m", "node", "-T", std::string(kDisk1), "-p", "192.168.1.10", "-o",
                     "update", "-n", "node.session.auth.username", "-v", "bob"});
  ASSERT_EQ(edit.exit_code, 0) << edit.err;
  EXPECT_EQ(db_.all()[0].record.get(keys::username), "bob");
  // A record made by hand (-o new) is not this portal's and survives.
  ASSERT_EQ(run({"-m", "node", "-o", "new", "-T", "iqn.hidden:x", "-p", "10.9.9.9"}).exit_code, 0);

  Report again = discover({{std::string(kDisk1), "192.168.1.10", 3260, 1}});
  EXPECT_EQ(again.exit_code, 0);
  auto nodes = db_.all();
  ASSERT_EQ(nodes.size(), 2U);
  EXPECT_EQ(nodes[0].record.get(keys::node_name), "iqn.2001-04.com.example:disk1");
  EXPECT_EQ(nodes[0].record.get(keys::username), "alice");  // the edit is gone
  EXPECT_EQ(nodes[1].record.get(keys::node_name), "iqn.hidden:x");
  EXPECT_FALSE(files_.exists("nodes/iqn.2001-04.com.example:disk2"));
}

TEST_F(NodeDbTest, EmptyAnswerChangesNothing) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1}}).exit_code, 0);
  auto before = files_.files();
  Report empty = discover({});
  EXPECT_EQ(empty.exit_code, 21);
  EXPECT_EQ(empty.err, "iscsiadm: No portals found\n");
  EXPECT_EQ(empty.out, "");
  EXPECT_EQ(files_.files(), before);
}

TEST_F(NodeDbTest, RecordInUseIsKept) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1}}).exit_code, 0);
  SessionProbe busy = [](const Record& r) { return r.get(keys::node_name) == kDisk1; };
  Report report = apply_sendtargets(db_, conf_, answer({{std::string(kDisk2), "192.168.1.10", 3260, 1}}),
                                    busy);
  EXPECT_EQ(report.err,
            "iscsiadm: This command will remove the record [iface: default, target: "
            "iqn.2001-04.com.example:disk1, portal: 192.168.1.10,3260], but a session is using "
            "it. Logout session then rerun command to remove record.\n");
  EXPECT_EQ(db_.all().size(), 2U);
}

TEST_F(NodeDbTest, HostileTargetNameNeverBecomesAPath) {
  Report report = discover({{"../../escape", "192.168.1.10", 3260, 1},
                            {"a/b", "192.168.1.10", 3260, 1},
                            {std::string(kDisk1), "../x", 3260, 1}});
  EXPECT_EQ(report.err.find("Could not add/update [tcp:[hw=,ip=,net_if=,iscsi_if=default] "
                            "192.168.1.10,3260,1 ../../escape]"),
            10U);
  // iscsiadm's line names the record only; the reason is our own next line.
  EXPECT_NE(report.err.find("../../escape]\niscsiadm: invalid record name [../../escape, "),
            std::string::npos);
  for (const auto& [path, content] : files_.files()) {
    EXPECT_TRUE(is_safe_relative_path(path)) << path;
    EXPECT_EQ(path.find(".."), std::string::npos) << path;
  }
  EXPECT_TRUE(db_.all().empty());
}

TEST_F(NodeDbTest, DiscoveryBindsEachIface) {
  Record iface(iface_schema());
  iface.set_raw(keys::iface_name, "lo2");
  iface.set_raw(keys::iface_ipaddress, "127.0.0.2");
  SendTargetsInput input = answer({{std::string(kDisk1), "127.0.0.1", 3260, 1}});
  input.ifaces = {default_iface(), iface};
  Report report = apply_sendtargets(db_, conf_, input, nullptr);
  EXPECT_EQ(report.out,
            "127.0.0.1:3260,1 iqn.2001-04.com.example:disk1\n"
            "127.0.0.1:3260,1 iqn.2001-04.com.example:disk1\n");
  auto nodes = db_.all();
  ASSERT_EQ(nodes.size(), 2U);
  EXPECT_EQ(nodes[1].path, "nodes/iqn.2001-04.com.example:disk1/127.0.0.1,3260,1/lo2");
  EXPECT_EQ(nodes[1].record.get(keys::iface_ipaddress), "127.0.0.2");
}

TEST_F(NodeDbTest, NewByHandAndShow) {
  Report added = run({"-m", "node", "-o", "new", "-T", "iqn.hidden:x", "-p", "127.0.0.1"});
  EXPECT_EQ(added.exit_code, 0);
  EXPECT_EQ(added.out,
            "New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] 127.0.0.1,3260,-1 "
            "iqn.hidden:x] added\n");
  EXPECT_TRUE(files_.exists("nodes/iqn.hidden:x/127.0.0.1,3260,-1/default"));
  Report shown = run({"-m", "node", "-T", "iqn.hidden:x", "-p", "127.0.0.1:3260"});
  EXPECT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.out.find("node.discovery_type = static\n"), std::string::npos);
  EXPECT_NE(shown.out.find("node.session.auth.username = alice\n"), std::string::npos);
  Report listed = run({"-m", "node"});
  EXPECT_EQ(listed.out, "127.0.0.1:3260,-1 iqn.hidden:x\n");
  Report tree = run({"-m", "node", "-P", "1"});
  EXPECT_EQ(tree.out, "Target: iqn.hidden:x\n\tPortal: 127.0.0.1:3260,-1\n\t\tIface Name: default\n");
  // print_nodes_tree() repeats the Portal line for each record of the same portal.
  Record second = db_.all().at(0).record;
  second.set_raw(keys::iface_name, "lo2");
  ASSERT_EQ(db_.write(second), std::nullopt);
  EXPECT_EQ(run({"-m", "node", "-P", "1"}).out,
            "Target: iqn.hidden:x\n"
            "\tPortal: 127.0.0.1:3260,-1\n\t\tIface Name: default\n"
            "\tPortal: 127.0.0.1:3260,-1\n\t\tIface Name: lo2\n");
  EXPECT_EQ(run({"-m", "node", "-P", "2"}).err, "iscsiadm: Invalid info level 2. Try 0 or 1.\n");
}

TEST_F(NodeDbTest, NewNeedsTargetAndPortal) {
  Report report = run({"-m", "node", "-o", "new", "-T", "iqn.x"});
  EXPECT_EQ(report.exit_code, 21);
  EXPECT_EQ(report.err, "iscsiadm: Error while adding record: no objects found\n");
}

TEST_F(NodeDbTest, LookupsFilterAndReportNoRecords) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1},
                      {std::string(kDisk2), "192.168.1.10", 3260, 1}})
                .exit_code,
            0);
  Report none = run({"-m", "node", "-T", "iqn.absent", "-o", "show"});
  EXPECT_EQ(none.exit_code, 21);
  EXPECT_EQ(none.err, "iscsiadm: No records found\n");
  // -p without a port means 3260 in node mode.
  EXPECT_EQ(run({"-m", "node", "-p", "192.168.1.10:3261"}).exit_code, 21);
  Report both = run({"-m", "node", "-p", "192.168.1.10"});
  EXPECT_EQ(std::count(both.out.begin(), both.out.end(), '#'), 4);  // two BEGIN/END pairs
  Selection selection = select_for_login(db_, parse_command(std::vector<std::string>{
                                                  "-m", "node", "-T", std::string(kDisk2), "-l"})
                                                  .request);
  ASSERT_EQ(selection.nodes.size(), 1U);
  EXPECT_EQ(selection.nodes[0].record.get(keys::node_name), kDisk2);
  Selection all = select_for_login(
      db_, parse_command(std::vector<std::string>{"-m", "node", "-L", "automatic"}).request);
  EXPECT_TRUE(all.nodes.empty());
  EXPECT_EQ(all.report.exit_code, 21);
}

TEST_F(NodeDbTest, UpdateErrors) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1}}).exit_code, 0);
  Report unknown = run({"-m", "node", "-T", std::string(kDisk1), "-o", "update", "-n",
                        "node.session.auth.usernme", "-v", "x"});
  EXPECT_EQ(unknown.exit_code, 7);
  EXPECT_EQ(unknown.err,
            "iscsiadm: Cannot modify node.session.auth.usernme. Invalid param name.\n"
            "iscsiadm: Could not execute operation on all records: invalid parameter\n");
  Report iface = run({"-m", "node", "-o", "update", "-n", "iface.ipaddress", "-v", "1.1.1.1"});
  EXPECT_EQ(iface.err,
            "iscsiadm: Cannot modify iface.ipaddress. Use iface mode to update this value.\n");
  Report nothing = run({"-m", "node", "-o", "update"});
  EXPECT_EQ(nothing.err, "iscsiadm: update requires name and value\n");
  Report absent = run({"-m", "node", "-T", "iqn.absent", "-o", "update", "-n",
                       "node.startup", "-v", "automatic"});
  EXPECT_EQ(absent.exit_code, 21);
  // The failed updates changed nothing.
  EXPECT_EQ(db_.all()[0].record.get(keys::node_startup), "manual");
}

TEST_F(NodeDbTest, DeleteRemovesRecordsAndEmptyDirectories) {
  ASSERT_EQ(discover({{std::string(kDisk1), "192.168.1.10", 3260, 1}}).exit_code, 0);
  ASSERT_EQ(run({"-m", "node", "-o", "new", "-T", "iqn.hidden:x", "-p", "10.9.9.9"}).exit_code, 0);
  SessionProbe busy = [](const Record&) { return true; };
  ParsedCommand del = parse_command(std::vector<std::string>{"-m", "node", "-T", std::string(kDisk1), "-o", "delete"});
  Report refused = run_node_records(db_, conf_, del.request, busy);
  EXPECT_EQ(refused.exit_code, 15);
  EXPECT_EQ(db_.all().size(), 2U);
  Report ok = run_node_records(db_, conf_, del.request, nullptr);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.out + ok.err, "");
  EXPECT_EQ(files_.list("nodes"), (std::vector<std::string>{"iqn.hidden:x"}));
  EXPECT_EQ(run({"-m", "node", "-T", std::string(kDisk1), "-o", "delete"}).exit_code, 21);
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
