#include <gtest/gtest.h>

#include "target-impl/config/tgtadm_request.hpp"
#include "target-impl/config/tokenizer.hpp"

namespace iscsi::target::config {
namespace {

ParsedCommand parse_line(std::string_view line) { return parse_tgtadm(tokenize_line(line).words); }

Request request_of(std::string_view line) {
  ParsedCommand p = parse_line(line);
  EXPECT_TRUE(p.request) << line << ": " << p.reply.err;
  return p.request.value_or(Request{});
}

Reply reply_of(std::string_view line) {
  ParsedCommand p = parse_line(line);
  EXPECT_FALSE(p.request) << line;
  return p.reply;
}

TEST(TgtadmParse, LongAndShortFormsFillTheSameRequest) {
  Request longs = request_of(
      "--lld iscsi --mode logicalunit --op new --tid 1 --lun 2 --backing-store /a --bstype aio "
      "--bsoflags sync --blocksize 4096 --control-port 5");
  Request shorts = request_of("-L iscsi -m lu -o new -t 1 -l 2 -b /a -E aio -f sync -y 4096 -C 5");
  EXPECT_EQ(longs, shorts);
  EXPECT_EQ(longs.mode, Mode::logicalunit);
  EXPECT_EQ(longs.op, Op::new_);
  EXPECT_EQ(longs.tid, 1);
  EXPECT_EQ(longs.lun, 2U);
  EXPECT_EQ(longs.backing_store, "/a");
  EXPECT_EQ(longs.control_port, 5U);
}

TEST(TgtadmParse, EveryTutorialOptionHasBothForms) {
  EXPECT_EQ(request_of("-m target -o bind -t 1 -I ALL").initiator_address, "ALL");
  EXPECT_EQ(request_of("--mode target --op bind --tid 1 --initiator-name iqn.x").initiator_name,
            "iqn.x");
  Request acct = request_of("-m account -o bind -t 1 -u bob --outgoing");
  EXPECT_EQ(acct.user, "bob");
  EXPECT_TRUE(acct.outgoing);
  EXPECT_FALSE(acct.tid_global);
  Request acct2 = request_of("--mode account --op new --user u --password p");
  EXPECT_EQ(acct2.password, "p");
  Request upd = request_of("-m target -o update -t 1 -n HeaderDigest -v CRC32C");
  EXPECT_EQ(upd.name, "HeaderDigest");
  EXPECT_EQ(upd.value, "CRC32C");
  EXPECT_TRUE(request_of("-m target -o delete -t 1 --force").force);
  EXPECT_EQ(request_of("-m lu -o update -t 1 -l 1 -P readonly=1").params, "readonly=1");
  EXPECT_EQ(request_of("-m target -o new -t 1 -T iqn.t").targetname, "iqn.t");
}

TEST(TgtadmParse, AccountBindWithoutTidGoesToTheDiscoveryTarget) {
  Request r = request_of("--mode account --op bind --user alice");
  EXPECT_TRUE(r.tid_global);
  EXPECT_EQ(r.tid, -1);
}

TEST(TgtadmParse, ParamsGoToPortalOpsOnlyAfterModePortal) {
  Request after = request_of("--mode portal --op new -P portal=1.2.3.4:3260");
  EXPECT_EQ(after.portal_params, "portal=1.2.3.4:3260");
  EXPECT_FALSE(after.params);
  Reply before = reply_of("-P portal=1.2.3.4 --mode portal --op new");
  EXPECT_EQ(before.err, "tgtadm: you must specify --param portal=<portal>\n");
}

TEST(TgtadmParse, NumbersFollowTgtsStrToInt) {
  EXPECT_EQ(request_of("-m target -o show -t 0x10").tid, 16);
  EXPECT_EQ(request_of("-m target -o show -t 010").tid, 8);
  EXPECT_EQ(request_of("-m target -o show -t 1x").tid, 1);
  EXPECT_EQ(request_of("-m target -o show -t ' +7'").tid, 7);
  EXPECT_EQ(reply_of("-m target -o show -t -2").err,
            "-t argument value '-2' out of range\nTry `tgtadm --help' for more information.\n");
  EXPECT_EQ(reply_of("-m target -o show -t 18446744073709551615").err,
            "-t argument value '18446744073709551615' invalid\n"
            "Try `tgtadm --help' for more information.\n");
  EXPECT_EQ(request_of("-m lu -o delete -t 1 -l 18446744073709551614").lun,
            18446744073709551614ULL);
  EXPECT_EQ(reply_of("-m sys -o show -C 32768").err,
            "-C argument value '32768' out of range\nTry `tgtadm --help' for more information.\n");
  EXPECT_EQ(request_of("-m sys -o show -C 32767").control_port, 32767U);
}

TEST(TgtadmParse, UnknownModeAndOpExitOneAtOnce) {
  Reply mode = reply_of("--mode bogus --tid abc");
  EXPECT_EQ(mode.err, "tgtadm: unknown mode: bogus\n");
  EXPECT_EQ(mode.exit_code, 1);
  Reply op = reply_of("-o show -o bogus --lun x");
  EXPECT_EQ(op.err, "tgtadm: unknown operation: bogus\n");
  EXPECT_EQ(op.exit_code, 1);
}

TEST(TgtadmParse, ShortAndLongModeNames) {
  EXPECT_EQ(request_of("-m sys -o show").mode, Mode::system);
  EXPECT_EQ(request_of("-m tgt -o show").mode, Mode::target);
  EXPECT_EQ(request_of("-m pt -o show").mode, Mode::portal);
  EXPECT_EQ(request_of("-m sess -o show").mode, Mode::session);
  EXPECT_EQ(request_of("-m conn -o show").mode, Mode::connection);
  EXPECT_EQ(request_of("-m lld -o start").mode, Mode::lld);
}

TEST(TgtadmParse, HelpAndVersionPrintAndExitZero) {
  Reply help = reply_of("--mode target --help --bogus");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("Linux SCSI Target administration utility, version 1.0.85\n\n", 0), 0U);
  EXPECT_NE(help.out.find("--control-port <port> use control port <port>\n"), std::string::npos);
  EXPECT_EQ(reply_of("-V").out, "1.0.85\n");
}

TEST(TgtadmParse, ControlPortIsKnownEvenWhenParsingFails) {
  ParsedCommand p = parse_line("-C 7 --mode target --op new");
  EXPECT_FALSE(p.request);
  EXPECT_EQ(p.control_port, 7U);
}

TEST(TgtadmParse, NoDaemonReply) {
  Reply r = no_daemon_reply();
  EXPECT_EQ(r.exit_code, 107);
  EXPECT_EQ(r.err,
            "tgtadm: failed to send request hdr to tgt daemon, Transport endpoint is not connected\n");
}

}  // namespace
}  // namespace iscsi::target::config
