// iscsi-iname and the files created on first use of $ISCSIM_HOME.
#include <gtest/gtest.h>

#include "initiator-impl/iscsiadm/home.hpp"
#include "initiator-impl/iscsiadm/iname.hpp"
#include "tests/support/fake_runtime.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

TEST(IscsiIname, PrefixAndUnpaddedHexBytes) {
  test::ScriptedRng rng(Bytes{0xa0, 0x05, 0x00, 0xff, 0x10, 0x7c});
  // %x per byte, as open-iscsi prints it: 0x05 -> "5", 0x00 -> "0".
  EXPECT_EQ(make_initiator_name(rng), "iqn.2016-04.com.open-iscsi:a050ff107c");
  test::ScriptedRng again(Bytes{1, 2, 3, 4, 5, 6});
  EXPECT_EQ(make_initiator_name(again, "iqn.2005-03.org.open-iscsi"),
            "iqn.2005-03.org.open-iscsi:123456");
}

TEST(IscsimHome, CreatesDefaultsOnceAndKeepsThem) {
  MemoryFileStore files;
  test::ScriptedRng rng(Bytes{0xde, 0xad, 0xbe, 0xef, 0x01, 0x02});
  OpenedHome first = open_home(files, rng);
  ASSERT_TRUE(first.home) << first.error;
  // Debian's postinst runs `iscsi-iname -p iqn.1993-08.org.debian:01` under a warning header.
  EXPECT_EQ(first.home->initiator_name, "iqn.1993-08.org.debian:01:deadbeef12");
  EXPECT_EQ(files.read("initiatorname.iscsi"),
            "## DO NOT EDIT OR REMOVE THIS FILE!\n"
            "## If you remove this file, the iSCSI daemon will not start.\n"
            "## If you change the InitiatorName, existing access control lists\n"
            "## may reject this initiator.  The InitiatorName must be unique\n"
            "## for each iSCSI initiator.  Do NOT duplicate iSCSI InitiatorNames.\n"
            "InitiatorName=iqn.1993-08.org.debian:01:deadbeef12\n");
  EXPECT_EQ(files.read("iscsid.conf"), std::string(default_iscsid_conf()));
  EXPECT_TRUE(first.home->warnings.empty());

  files.write("iscsid.conf", "node.startup = automatic\nbroken line\n");
  files.write("initiatorname.iscsi", "# mine\nInitiatorName=iqn.1994-05.com.redhat:abc\n");
  test::ScriptedRng other(Bytes{1});
  OpenedHome second = open_home(files, other);
  ASSERT_TRUE(second.home);
  EXPECT_EQ(second.home->initiator_name, "iqn.1994-05.com.redhat:abc");
  ASSERT_EQ(second.home->conf.entries.size(), 1U);
  ASSERT_EQ(second.home->warnings.size(), 1U);
  EXPECT_EQ(second.home->warnings[0].message, "config file line 2 has not '=' sepa");
}

TEST(IscsimHome, MissingInitiatorNameIsAnError) {
  MemoryFileStore files;
  files.write("initiatorname.iscsi", "# nothing\n");
  test::ScriptedRng rng(Bytes{1});
  OpenedHome opened = open_home(files, rng);
  EXPECT_FALSE(opened.home);
  EXPECT_EQ(opened.error, "initiatorname.iscsi has no InitiatorName= line");
  EXPECT_EQ(parse_initiator_name("  InitiatorName=iqn.a:b \r\n"), "iqn.a:b");
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
