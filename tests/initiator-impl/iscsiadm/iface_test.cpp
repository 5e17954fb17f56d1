// `iscsiadm -m iface` (usr/iscsiadm.c exec_iface_op).
#include <gtest/gtest.h>

#include "initiator-impl/iscsiadm/command.hpp"
#include "initiator-impl/iscsiadm/iface_ops.hpp"
#include "initiator-impl/iscsiadm/node_ops.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

class IfaceTest : public ::testing::Test {
 protected:
  Report run(std::vector<std::string> args, const SessionProbe& probe = nullptr) {
    ParsedCommand parsed = parse_command(args);
    EXPECT_TRUE(parsed.run) << parsed.err;
    if (parsed.request.mode == Mode::iface) return run_iface(db_, parsed.request, probe);
    return run_node_records(db_, conf_, parsed.request, probe);
  }

  MemoryFileStore files_;
  NodeDb db_{files_};
  ConfFile conf_;
};

TEST_F(IfaceTest, DefaultAlwaysExists) {
  Report list = run({"-m", "iface"});
  EXPECT_EQ(list.out, "default tcp,<empty>,<empty>,<empty>,<empty>\n");
  Report show = run({"-m", "iface", "-I", "default"});
  EXPECT_EQ(show.out,
            "# BEGIN RECORD 2.1.8\n"
            "iface.iscsi_ifacename = default\n"
            "iface.net_ifacename = <empty>\n"
            "iface.ipaddress = <empty>\n"
            "iface.hwaddress = <empty>\n"
            "iface.transport_name = tcp\n"
            "iface.initiatorname = <empty>\n"
            "# END RECORD\n");
  Report del = run({"-m", "iface", "-I", "default", "-o", "delete"});
  EXPECT_EQ(del.exit_code, 7);
  EXPECT_EQ(del.err,
            "iscsiadm: iface default is a special interface and cannot be deleted.\n"
            "iscsiadm: Could not delete iface default: invalid parameter\n");
}

TEST_F(IfaceTest, NewUpdateShowDelete) {
  Report created = run({"-m", "iface", "-I", "lo2", "-o", "new"});
  EXPECT_EQ(created.out, "New interface lo2 added\n");
  EXPECT_TRUE(files_.exists("ifaces/lo2"));
  EXPECT_EQ(run({"-m", "iface", "-I", "lo2", "-o", "new"}).exit_code, 7);
  Report updated = run({"-m", "iface", "-I", "lo2", "-o", "update", "-n", "iface.ipaddress",
                        "-v", "127.0.0.2"});
  EXPECT_EQ(updated.out, "lo2 updated.\n");
  EXPECT_EQ(read_iface(files_, "lo2")->get(keys::iface_ipaddress), "127.0.0.2");
  EXPECT_NE(run({"-m", "iface", "-I", "lo2", "-o", "show"}).out.find("iface.ipaddress = 127.0.0.2\n"),
            std::string::npos);
  EXPECT_EQ(run({"-m", "iface"}).out,
            "default tcp,<empty>,<empty>,<empty>,<empty>\n"
            "lo2 tcp,<empty>,127.0.0.2,<empty>,<empty>\n");

  // A record made on the iface carries its address; updating the iface updates the record.
  ASSERT_EQ(run({"-m", "node", "-o", "new", "-T", "iqn.x:t", "-p", "127.0.0.1", "-I", "lo2"})
                .exit_code,
            0);
  EXPECT_EQ(db_.all()[0].record.get(keys::iface_ipaddress), "127.0.0.2");
  run({"-m", "iface", "-I", "lo2", "-o", "update", "-n", "iface.ipaddress", "-v", "127.0.0.3"});
  EXPECT_EQ(db_.all()[0].record.get(keys::iface_ipaddress), "127.0.0.3");

  Report busy = run({"-m", "iface", "-I", "lo2", "-o", "delete"},
                    [](const Record&) { return true; });
  EXPECT_EQ(busy.exit_code, 15);
  Report deleted = run({"-m", "iface", "-I", "lo2", "-o", "delete"});
  EXPECT_EQ(deleted.out, "lo2 unbound and deleted.\n");
  EXPECT_FALSE(files_.exists("ifaces/lo2"));
  EXPECT_TRUE(db_.all().empty());  // its records went with it
}

TEST_F(IfaceTest, UpdateErrors) {
  run({"-m", "iface", "-I", "lo2", "-o", "new"});
  EXPECT_EQ(run({"-m", "iface", "-I", "lo2", "-o", "update"}).err,
            "iscsiadm: Update requires name, value, and iface.\n");
  EXPECT_EQ(run({"-m", "iface", "-I", "lo2", "-o", "update", "-n", "iface.iscsi_ifacename",
                 "-v", "x"})
                .err,
            "iscsiadm: Can not update iface.iscsi_ifacename. Delete it, and then create a new "
            "one.\n");
  EXPECT_EQ(run({"-m", "iface", "-I", "lo2", "-o", "update", "-n", "iface.bogus", "-v", "x"})
                .err,
            "iscsiadm: Cannot modify iface.bogus. Invalid param name.\n"
            "iscsiadm: Could not update iface lo2: invalid parameter\n");
  Report missing = run({"-m", "iface", "-I", "nope", "-o", "update", "-n", "iface.ipaddress",
                        "-v", "1.1.1.1"});
  EXPECT_EQ(missing.exit_code, 21);
  Report show_missing = run({"-m", "iface", "-I", "nope"});
  EXPECT_EQ(show_missing.err, "iscsiadm: Could not read iface nope (21).\n");
  EXPECT_EQ(run({"-m", "iface", "-o", "new"}).err,
            "iscsiadm: Could not add interface. No interface passed in.\n");
}

TEST_F(IfaceTest, NewNodeOnMissingIfaceFails) {
  Report report = run({"-m", "node", "-o", "new", "-T", "iqn.x:t", "-p", "127.0.0.1", "-I", "nope"});
  EXPECT_EQ(report.exit_code, 21);
  EXPECT_EQ(report.err, "iscsiadm: Could not read iface nope. Error 21\n");
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
