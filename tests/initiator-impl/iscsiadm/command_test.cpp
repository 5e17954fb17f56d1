// iscsiadm's command line as open-iscsi 2.1.8's main() reads it (usr/iscsiadm.c).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "initiator-impl/iscsiadm/command.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

ParsedCommand parse(std::vector<std::string> args) { return parse_command(args); }

TEST(IscsiadmCommand, DiscoveryWithShortOptions) {
  ParsedCommand p = parse({"-m", "discovery", "-t", "st", "-p", "192.168.1.10"});
  ASSERT_TRUE(p.run) << p.err;
  EXPECT_EQ(p.request.mode, Mode::discovery);
  EXPECT_EQ(p.request.type, DiscoveryType::sendtargets);
  ASSERT_TRUE(p.request.portal);
  EXPECT_EQ(p.request.portal->address, "192.168.1.10");
  EXPECT_EQ(p.request.portal->port, kPortUnset);
  EXPECT_EQ(port_or_default(*p.request.portal), 3260);
  EXPECT_EQ(p.err, "");
}

TEST(IscsiadmCommand, LongOptionsPrefixesAndEqualsForm) {
  ParsedCommand p = parse({"--mode=node", "--targetname", "iqn.2001-04.com.example:disk1",
                           "--portal=10.0.0.1:3261,2", "--log", "-I", "iface0"});
  // "--log" is ambiguous (login, loginall, logout, logoutall): glibc complains, optopt is 0,
  // so iscsiadm goes on; the node mode check then refuses the '?'.
  EXPECT_FALSE(p.run);
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.err,
            "iscsiadm: option '--log' is ambiguous; possibilities: '--login' '--loginall' "
            "'--logout' '--logoutall'\n"
            "iscsiadm: option '--log' is ambiguous; possibilities: '--login' '--loginall' "
            "'--logout' '--logoutall'\n"
            "iscsiadm: node mode: option '-?' is not allowed/supported\n");
}

TEST(IscsiadmCommand, NodeLoginWithPortalTagAndIfaces) {
  ParsedCommand p = parse({"-m", "node", "-T", "iqn.x:t", "-p", "10.0.0.1:3261,2", "-I", "a",
                           "-I", "b", "--login"});
  ASSERT_TRUE(p.run) << p.err;
  EXPECT_EQ(p.request.targetname, "iqn.x:t");
  EXPECT_EQ(p.request.portal->port, 3261);
  EXPECT_EQ(p.request.portal->tpgt, 2);
  EXPECT_EQ(p.request.ifaces, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.request.login);
}

TEST(IscsiadmCommand, PortalForms) {
  EXPECT_EQ(parse_portal_arg("[fe80::1]:3262,5").address, "fe80::1");
  EXPECT_EQ(parse_portal_arg("[fe80::1]:3262,5").port, 3262);
  EXPECT_EQ(parse_portal_arg("[fe80::1]:3262,5").tpgt, 5);
  EXPECT_EQ(parse_portal_arg("fe80::1").address, "fe80::1");
  EXPECT_EQ(parse_portal_arg("fe80::1").port, kPortUnset);
  EXPECT_EQ(parse_portal_arg("host:abc").port, 0);  // atoi, as iscsiadm
  EXPECT_EQ(parse_portal_arg("1.2.3.4,7").tpgt, 7);
  EXPECT_EQ(parse_portal_arg("1.2.3.4,7").port, kPortUnset);
}

TEST(IscsiadmCommand, UpdatePairsNameAndValueInEitherOrder) {
  ParsedCommand p = parse({"-m", "node", "-o", "update", "-v", "CHAP", "-n",
                           "node.session.auth.authmethod", "-n", "a", "-n", "b", "-v", "c",
                           "-n", "dangling"});
  ASSERT_TRUE(p.run) << p.err;
  ASSERT_EQ(p.request.params.size(), 2U);
  EXPECT_EQ(p.request.params[0].first, "node.session.auth.authmethod");
  EXPECT_EQ(p.request.params[0].second, "CHAP");
  EXPECT_EQ(p.request.params[1].first, "b");  // the later -n replaces the earlier
  EXPECT_EQ(p.request.params[1].second, "c");
  EXPECT_EQ(p.request.ops, op_update);
}

TEST(IscsiadmCommand, UnknownOperationAndOrSemantics) {
  ParsedCommand bad = parse({"-m", "node", "-o", "frob"});
  EXPECT_EQ(bad.exit_code, 7);
  EXPECT_EQ(bad.err, "iscsiadm: can not recognize operation: 'frob'\n");
  // iscsiadm ORs -o bits and only complains while the result is still "no op".
  ParsedCommand later = parse({"-m", "node", "-o", "show", "-o", "frob"});
  EXPECT_TRUE(later.run);
  EXPECT_EQ(later.request.ops, op_show);
}

TEST(IscsiadmCommand, InvalidShortOptionIsUnrecognizedCharacter) {
  ParsedCommand p = parse({"-m", "node", "-y"});
  EXPECT_FALSE(p.run);
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.err,
            "iscsiadm: invalid option -- 'y'\n"
            "iscsiadm: unrecognized character 'y'\n");
}

TEST(IscsiadmCommand, IndexAndPortalTypeBelongToHostMode) {
  // -x/--index and -A/--portal_type are in short_options since the flashnode submode; only
  // host mode allows them.
  ParsedCommand node = parse({"-m", "node", "-x", "3"});
  EXPECT_FALSE(node.run);
  EXPECT_EQ(node.exit_code, 7);
  EXPECT_EQ(node.err, "iscsiadm: node mode: option '-x' is not allowed/supported\n");
  ParsedCommand host =
      parse({"-m", "host", "-C", "flashnode", "--index=2", "-A", "ipv4", "-H", "1"});
  EXPECT_TRUE(host.run);
  EXPECT_EQ(host.err, "");
  ParsedCommand missing = parse({"-m", "host", "-x"});
  EXPECT_EQ(missing.err,
            "iscsiadm: option requires an argument -- 'x'\n"
            "iscsiadm: unrecognized character 'x'\n");
}

TEST(IscsiadmCommand, MissingArgument) {
  ParsedCommand p = parse({"-m"});
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.err,
            "iscsiadm: option requires an argument -- 'm'\n"
            "iscsiadm: unrecognized character 'm'\n");
  ParsedCommand l = parse({"-m", "node", "--targetname"});
  EXPECT_EQ(l.err,
            "iscsiadm: option '--targetname' requires an argument\n"
            "iscsiadm: unrecognized character 'T'\n");
}

TEST(IscsiadmCommand, LongOptionArgumentErrors) {
  ParsedCommand p = parse({"-m", "node", "--login=yes"});
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.err,
            "iscsiadm: option '--login' doesn't allow an argument\n"
            "iscsiadm: unrecognized character 'l'\n");
  // An unknown long option leaves optopt at 0, so only the mode check stops the command.
  ParsedCommand u = parse({"-m", "node", "--frob=1"});
  EXPECT_EQ(u.err,
            "iscsiadm: unrecognized option '--frob=1'\n"
            "iscsiadm: unrecognized option '--frob=1'\n"
            "iscsiadm: node mode: option '-?' is not allowed/supported\n");
  // A later valid option does not clear an earlier short-option error.
  EXPECT_EQ(parse({"-m", "node", "-y", "-l"}).err,
            "iscsiadm: invalid option -- 'y'\n"
            "iscsiadm: unrecognized character 'y'\n");
}

TEST(IscsiadmCommand, NoOrUnknownModeIsUsageError) {
  for (const auto& args : {std::vector<std::string>{}, std::vector<std::string>{"-m", "nodes"}}) {
    ParsedCommand p = parse(args);
    EXPECT_FALSE(p.run);
    EXPECT_EQ(p.exit_code, 7);
    EXPECT_EQ(p.err, "Try `iscsiadm --help' for more information.\n");
    EXPECT_EQ(p.out, "");
  }
}

TEST(IscsiadmCommand, HelpAndVersionEndAtOnce) {
  ParsedCommand v = parse({"-V", "-m", "bogus", "-y"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "iscsiadm version 2.1.8\n");
  EXPECT_EQ(v.err, "");
  ParsedCommand h = parse({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_EQ(h.out, usage_text());
  EXPECT_NE(h.out.find("iscsiadm -m node "), std::string::npos);
}

TEST(IscsiadmCommand, ModeRefusesForeignOption) {
  ParsedCommand p = parse({"-m", "discovery", "-t", "st", "-p", "1.2.3.4", "-T", "iqn.x"});
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.err, "iscsiadm: discovery mode: option '-T' is not allowed/supported\n");
  ParsedCommand s = parse({"-m", "session", "-T", "iqn.x"});
  EXPECT_EQ(s.err, "iscsiadm: session mode: option '-T' is not allowed or supported\n");
  ParsedCommand i = parse({"-m", "iface", "-l"});
  EXPECT_EQ(i.err, "iscsiadm: iface mode: option '-l' is not allowed/supported\n");
}

TEST(IscsiadmCommand, IfaceNameLength) {
  ParsedCommand p = parse({"-m", "iface", "-I", std::string(64, 'a')});
  EXPECT_EQ(p.exit_code, 7);
  EXPECT_EQ(p.out, "Invalid iface name " + std::string(64, 'a') +
                       ". Must be from 1 to 63 characters.\n");
  EXPECT_TRUE(parse({"-m", "iface", "-I", std::string(63, 'a')}).run);
}

TEST(IscsiadmCommand, LoginAllWords) {
  EXPECT_TRUE(parse({"-m", "node", "-L", "all"}).run);
  EXPECT_TRUE(parse({"-m", "node", "-L", "onboot"}).run);
  ParsedCommand bad = parse({"-m", "node", "-L", "some"});
  EXPECT_EQ(bad.exit_code, 7);
  EXPECT_EQ(bad.err,
            "iscsiadm: Invalid loginall option some.\n"
            "Try `iscsiadm --help' for more information.\n");
  ParsedCommand u = parse({"-m", "node", "-U", "onboot"});
  EXPECT_EQ(u.err,
            "iscsiadm: Invalid logoutall option onboot.\n"
            "Try `iscsiadm --help' for more information.\n");
}

TEST(IscsiadmCommand, LoginLogoutConflicts) {
  EXPECT_EQ(parse({"-m", "node", "-l", "-u"}).err,
            "iscsiadm: Invalid parameters. Both login and logout passed in\n");
  EXPECT_EQ(parse({"-m", "node", "-l", "-o", "show"}).err,
            "iscsiadm: Invalid parameters. Login/logout and op passed in\n");
  EXPECT_EQ(parse({"-m", "session", "-o", "new"}).err,
            "iscsiadm: session mode: Operation 'new' only allowed with specific session IDs\n");
}

TEST(IscsiadmCommand, SessionIdAndPrintLevel) {
  ParsedCommand p = parse({"-m", "session", "-r", "/sys/class/iscsi_session/session3", "-P", "1"});
  ASSERT_TRUE(p.run) << p.err;
  EXPECT_EQ(p.request.sid, 3);
  EXPECT_EQ(p.request.print_level, 1);
  ParsedCommand bad = parse({"-m", "session", "-r", "x"});
  EXPECT_EQ(bad.err, "iscsiadm: invalid sid 'x'\n");
  EXPECT_EQ(bad.exit_code, 7);
}

TEST(IscsiadmCommand, OperandsAreIgnoredAndClustersWork) {
  ParsedCommand p = parse({"stray", "-mnode", "-lTiqn.x", "--", "-u"});
  ASSERT_TRUE(p.run) << p.err;
  EXPECT_TRUE(p.request.login);
  EXPECT_FALSE(p.request.logout);
  EXPECT_EQ(p.request.targetname, "iqn.x");
  EXPECT_EQ(p.request.mode, Mode::node);
}

TEST(IscsiadmCommand, DebugLevelAndKill) {
  ParsedCommand p = parse({"-m", "node", "-d", "8"});
  EXPECT_EQ(p.request.debug_level, 8);
  ParsedCommand k = parse({"-k", "-1"});
  EXPECT_EQ(k.err,
            "iscsiadm: Invalid killiscsid priority -1 Priority must be greater than or equal to "
            "zero.\n");
  ParsedCommand k0 = parse({"-k", "0"});
  EXPECT_TRUE(k0.run);
  EXPECT_EQ(k0.request.kill_priority, 0);
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
