// iscsid.conf parsing and the record model (usr/idbm.c): show format, file format, updates.
#include <gtest/gtest.h>

#include "initiator-impl/iscsiadm/iscsid_conf.hpp"
#include "initiator-impl/iscsiadm/record.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

TEST(IscsidConf, EntriesCommentsBlankLinesAndLineNumbers) {
  ConfFile conf = parse_conf(
      "# comment\n"
      "\n"
      "node.startup = automatic\n"
      "   node.session.auth.username=alice   \n"
      "unknown.key = kept\n"
      "node.session.auth.password = secret with spaces\r\n");
  ASSERT_EQ(conf.entries.size(), 4U);
  EXPECT_EQ(conf.entries[0].key, "node.startup");
  EXPECT_EQ(conf.entries[0].value, "automatic");
  EXPECT_EQ(conf.entries[0].line, 3U);
  EXPECT_EQ(conf.entries[1].key, "node.session.auth.username");
  EXPECT_EQ(conf.entries[1].value, "alice");
  EXPECT_EQ(conf.entries[2].key, "unknown.key");
  EXPECT_EQ(conf.entries[3].value, "secret with spaces");
  EXPECT_TRUE(conf.warnings.empty());
}

TEST(IscsidConf, BadLinesAreNamed) {
  ConfFile conf = parse_conf("a = 1\nnovalue\nkey value\nempty =\n" + std::string(2048, 'x') +
                             "\nb = 2");
  ASSERT_EQ(conf.entries.size(), 2U);
  EXPECT_EQ(conf.entries[1].line, 6U);
  ASSERT_EQ(conf.warnings.size(), 4U);
  EXPECT_EQ(conf.warnings[0].message, "config file line 2 do not has value");
  EXPECT_EQ(conf.warnings[1].message, "config file line 3 has not '=' sepa");
  EXPECT_EQ(conf.warnings[2].message, "config file line 4 do not has value");
  EXPECT_EQ(conf.warnings[3].message, "Config file line 5 too long.");
  EXPECT_EQ(format_warnings({conf.warnings[0]}), "iscsiadm: config file line 2 do not has value\n");
}

TEST(IscsidConf, DefaultFileParsesCleanlyIntoDefaults) {
  ConfFile conf = parse_conf(default_iscsid_conf());
  EXPECT_TRUE(conf.warnings.empty());
  std::vector<LineWarning> warnings;
  Record node(node_schema());
  apply_conf(conf, node, &warnings);
  EXPECT_TRUE(warnings.empty());
  // The shipped file restates the defaults, so a record from it equals the bare defaults.
  EXPECT_EQ(node, Record(node_schema()));
  EXPECT_EQ(node.get(keys::chap_algs), "MD5");
  EXPECT_EQ(node.get(keys::login_retry_max), "8");
}

TEST(IscsidConf, ApplyCopiesValuesAndWarnsOnBadOnes) {
  ConfFile conf = parse_conf(
      "node.session.auth.authmethod = CHAP\n"
      "node.session.iscsi.InitialR2T = Maybe\n"
      "node.name = iqn.not.from.conf\n"
      "node.conn[0].iscsi.HeaderDigest = CRC32C,None\n"
      "node.session.auth.chap_algs = SHA256,MD5\n");
  std::vector<LineWarning> warnings;
  Record node(node_schema());
  apply_conf(conf, node, &warnings);
  EXPECT_EQ(node.get(keys::authmethod), "CHAP");
  EXPECT_EQ(node.get(keys::initial_r2t), "No");
  EXPECT_EQ(node.get(keys::node_name), "");  // lookup keys come from discovery only
  EXPECT_EQ(node.get(keys::header_digest), "CRC32C,None");
  EXPECT_EQ(node.get(keys::chap_algs), "SHA256,MD5");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].line, 2U);
  EXPECT_EQ(warnings[0].message,
            "config file line 2 contains unknown value format 'Maybe' for parameter name "
            "'node.session.iscsi.InitialR2T'");
}

TEST(NodeRecord, ShowFormatMasksSecretsUnlessAsked) {
  Record node(node_schema());
  node.set_raw(keys::node_name, "iqn.2001-04.com.example:disk1");
  node.set_raw(keys::password, "s3cret");
  std::string shown = node.show(false);
  EXPECT_EQ(shown.substr(0, 22), "# BEGIN RECORD 2.1.8\nn");
  EXPECT_NE(shown.find("\nnode.name = iqn.2001-04.com.example:disk1\nnode.tpgt = -1\n"),
            std::string::npos);
  EXPECT_NE(shown.find("\nnode.session.auth.password = ********\n"), std::string::npos);
  EXPECT_NE(shown.find("\nnode.session.auth.password_in = <empty>\n"), std::string::npos);
  EXPECT_NE(shown.find("\niface.ipaddress = <empty>\n"), std::string::npos);
  EXPECT_EQ(shown.substr(shown.size() - 13), "# END RECORD\n");
  EXPECT_NE(node.show(true).find("\nnode.session.auth.password = s3cret\n"), std::string::npos);
}

// The full `iscsiadm -m node -T .. -p .. -o show` of a record with open-iscsi's defaults, in
// 2.1.8's order (keys iscsim does not honour are left out).
TEST(NodeRecord, CompleteShowOfADefaultRecord) {
  Record node(node_schema());
  node.set_raw(keys::node_name, "iqn.2001-04.com.example:disk1");
  node.set_raw(keys::node_tpgt, "1");
  node.set_raw(keys::disc_address, "192.168.1.10");
  node.set_raw(keys::disc_port, "3260");
  node.set_raw(keys::disc_type, "send_targets");
  node.set_raw(keys::conn_address, "192.168.1.10");
  EXPECT_EQ(node.show(false),
            "# BEGIN RECORD 2.1.8\n"
            "node.name = iqn.2001-04.com.example:disk1\n"
            "node.tpgt = 1\n"
            "node.startup = manual\n"
            "node.leading_login = No\n"
            "iface.iscsi_ifacename = default\n"
            "iface.net_ifacename = <empty>\n"
            "iface.ipaddress = <empty>\n"
            "iface.hwaddress = <empty>\n"
            "iface.transport_name = tcp\n"
            "iface.initiatorname = <empty>\n"
            "node.discovery_address = 192.168.1.10\n"
            "node.discovery_port = 3260\n"
            "node.discovery_type = send_targets\n"
            "node.session.initial_cmdsn = 0\n"
            "node.session.initial_login_retry_max = 8\n"
            "node.session.cmds_max = 128\n"
            "node.session.queue_depth = 32\n"
            "node.session.nr_sessions = 1\n"
            "node.session.auth.authmethod = None\n"
            "node.session.auth.username = <empty>\n"
            "node.session.auth.password = <empty>\n"
            "node.session.auth.username_in = <empty>\n"
            "node.session.auth.password_in = <empty>\n"
            "node.session.auth.chap_algs = MD5\n"
            "node.session.timeo.replacement_timeout = 120\n"
            "node.session.iscsi.InitialR2T = No\n"
            "node.session.iscsi.ImmediateData = Yes\n"
            "node.session.iscsi.FirstBurstLength = 262144\n"
            "node.session.iscsi.MaxBurstLength = 16776192\n"
            "node.session.iscsi.DefaultTime2Retain = 0\n"
            "node.session.iscsi.DefaultTime2Wait = 2\n"
            "node.session.iscsi.MaxConnections = 1\n"
            "node.session.iscsi.MaxOutstandingR2T = 1\n"
            "node.session.iscsi.ERL = 0\n"
            "node.conn[0].address = 192.168.1.10\n"
            "node.conn[0].port = 3260\n"
            "node.conn[0].startup = manual\n"
            "node.conn[0].timeo.logout_timeout = 15\n"
            "node.conn[0].timeo.login_timeout = 15\n"
            "node.conn[0].timeo.noop_out_interval = 5\n"
            "node.conn[0].timeo.noop_out_timeout = 5\n"
            "node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144\n"
            "node.conn[0].iscsi.HeaderDigest = None\n"
            "node.conn[0].iscsi.DataDigest = None\n"
            "# END RECORD\n");
}

TEST(NodeRecord, OrderFollowsOpenIscsi) {
  std::string shown = Record(node_schema()).show(false);
  auto at = [&](std::string_view key) { return shown.find("\n" + std::string(key) + " = "); };
  EXPECT_LT(at("node.tpgt"), at("node.startup"));
  EXPECT_LT(at("node.startup"), at("iface.iscsi_ifacename"));
  EXPECT_LT(at("iface.initiatorname"), at("node.discovery_address"));
  EXPECT_LT(at("node.session.auth.password_in"), at("node.session.auth.chap_algs"));
  EXPECT_LT(at("node.session.iscsi.ERL"), at("node.conn[0].address"));
  EXPECT_LT(at("node.conn[0].iscsi.HeaderDigest"), at("node.conn[0].iscsi.DataDigest"));
}

TEST(NodeRecord, FileRoundTripOmitsEmptyValues) {
  Record node(node_schema());
  node.set_raw(keys::node_name, "iqn.x:t");
  node.set_raw(keys::conn_address, "10.0.0.1");
  ASSERT_FALSE(node.set_param(keys::username_in, "tgt"));
  ASSERT_FALSE(node.set_param(keys::password_in, "p w"));
  ASSERT_FALSE(node.set_param(keys::data_digest, "CRC32C"));
  std::string text = node.serialize();
  EXPECT_EQ(text.find("<empty>"), std::string::npos);
  EXPECT_EQ(text.find("iface.ipaddress"), std::string::npos);
  EXPECT_NE(text.find("\nnode.session.auth.password_in = p w\n"), std::string::npos);
  std::vector<LineWarning> warnings;
  EXPECT_EQ(parse_record(node_schema(), text, &warnings), node);
  EXPECT_TRUE(warnings.empty());
}

TEST(NodeRecord, UpdateValidation) {
  Record node(node_schema());
  EXPECT_EQ(node.set_param("node.session.bogus", "1"),
            "Cannot modify node.session.bogus. Invalid param name.");
  EXPECT_EQ(node.set_param(keys::node_name, "iqn.y"),
            "Cannot modify node.name. It is used to look up the record and cannot be changed.");
  EXPECT_EQ(node.set_param(keys::immediate_data, "yes"),
            "unknown value format 'yes' for parameter name 'node.session.iscsi.ImmediateData'");
  EXPECT_EQ(node.set_param(keys::first_burst, "64k"),
            "unknown value format '64k' for parameter name "
            "'node.session.iscsi.FirstBurstLength'");
  EXPECT_EQ(node.set_param(keys::chap_algs, "MD5,SHA512"),
            "unknown value format 'MD5,SHA512' for parameter name "
            "'node.session.auth.chap_algs'");
  EXPECT_FALSE(node.set_param(keys::first_burst, "65536"));
  EXPECT_EQ(node.get_int(keys::first_burst), 65536);
  EXPECT_FALSE(node.set_param(keys::username, ""));  // strings may be emptied
  EXPECT_FALSE(node.set_param(keys::chap_algs, "SHA3-256,SHA256,SHA1,MD5"));
}

TEST(NodeRecord, UnknownKeysInFilesAreIgnored) {
  std::vector<LineWarning> warnings;
  Record node = parse_record(node_schema(),
                             "node.name = iqn.z\nnode.session.scan = auto\nnode.tpgt = x\n",
                             &warnings);
  EXPECT_EQ(node.get(keys::node_name), "iqn.z");
  EXPECT_EQ(node.get(keys::node_tpgt), "-1");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].line, 3U);
}

TEST(DiscoveryRecord, DefaultsAndSecrets) {
  Record disc(discovery_schema());
  EXPECT_EQ(disc.get("discovery.sendtargets.reopen_max"), "5");
  EXPECT_FALSE(disc.set_param("discovery.sendtargets.auth.password", "x"));
  EXPECT_NE(disc.show(false).find("discovery.sendtargets.auth.password = ********"),
            std::string::npos);
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
