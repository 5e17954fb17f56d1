// `iscsim iscsiadm` and `iscsim io` against tgt's tgtd (a third-party target) on 127.0.0.1,
// configured with tgtadm as the classic tutorial does (a target, LUNs, an IP ACL, an incoming
// and an outgoing account), each case with its own tgtd (own port and control port) and its
// own $ISCSIM_HOME. Exact iscsiadm lines and exit codes (open-iscsi 2.1.8). Skipped when tgtd is
// not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/iscsim_home.hpp"
#include "tests/integration/tgtd_process.hpp"

namespace iscsi::integration {
namespace {

using Lines = std::vector<std::vector<std::string>>;

constexpr const char* kAliyunIqn = "iqn.2019-01.com.aliyun:28329176";
constexpr const char* kOtherIqn = "iqn.2019-01.com.aliyun:hidden";
constexpr std::uint64_t kLunBytes = 64 * 1024 * 1024;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Sparse files as LUN backing stores, removed at the end.
class BackingFiles {
 public:
  BackingFiles() {
    std::string pattern = "/tmp/iscsim-tgtd-luns-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
  }
  ~BackingFiles() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  BackingFiles(const BackingFiles&) = delete;
  BackingFiles& operator=(const BackingFiles&) = delete;
  std::string make(const std::string& name) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary).close();
    std::filesystem::resize_file(path, kLunBytes);
    return path;
  }

 private:
  std::string dir_;
};

class IscsiadmTgtdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TgtdProcess::installed()) GTEST_SKIP() << "tgtd is not installed (package tgt)";
    ASSERT_TRUE(tgtd_.started()) << tgtd_.output();
    ASSERT_FALSE(home_.path().empty());
  }

  void tgtadm_all(const TgtdProcess& tgtd, const Lines& lines) {
    for (const auto& line : lines) {
      const auto done = tgtd.tgtadm(line);
      ASSERT_EQ(done.exit_code, 0) << test::describe(done);
    }
  }
  // The tutorial's target: tid 1, LUN 1 on a file, bound to the initiator's address.
  void make_target(const TgtdProcess& tgtd, int tid, const std::string& iqn,
                   const std::string& address, int luns = 1) {
    const std::string id = std::to_string(tid);
    tgtadm_all(tgtd, {{"--mode", "target", "--op", "new", "--tid", id, "--targetname", iqn}});
    for (int lun = 1; lun <= luns; ++lun) {
      const std::string path = files_.make("t" + id + "l" + std::to_string(lun) + "-" +
                                           std::to_string(tgtd.port()));
      tgtadm_all(tgtd, {{"--mode", "logicalunit", "--op", "new", "--tid", id, "--lun",
                         std::to_string(lun), "--backing-store", path}});
    }
    tgtadm_all(tgtd, {{"--mode", "target", "--op", "bind", "--tid", id, "--initiator-address",
                       address}});
  }

  std::string portal_comma(const TgtdProcess& tgtd) const {
    return "127.0.0.1," + std::to_string(tgtd.port());
  }
  std::string bracket(const std::string& iqn, const std::string& iface = "default") const {
    return "[iface: " + iface + ", target: " + iqn + ", portal: " + portal_comma(tgtd_) + "]";
  }
  test::CommandResult node(const std::string& iqn, std::vector<std::string> extra) const {
    std::vector<std::string> args{"-m", "node", "-T", iqn, "-p", tgtd_.portal()};
    args.insert(args.end(), extra.begin(), extra.end());
    return home_.iscsiadm(args);
  }
  void update(const std::string& iqn, const std::string& key, const std::string& value) {
    const auto done = node(iqn, {"-o", "update", "-n", key, "-v", value});
    ASSERT_EQ(done.exit_code, 0) << test::describe(done);
  }
  void discover_one(const std::string& iqn) {
    const auto found = home_.iscsiadm({"-m", "discovery", "-t", "st", "-p", tgtd_.portal()});
    ASSERT_EQ(found.exit_code, 0) << test::describe(found);
    EXPECT_EQ(found.out, tgtd_.portal() + ",1 " + iqn + "\n");
  }
  void expect_login_ok(const test::CommandResult& in, const std::string& iqn,
                       const std::string& iface = "default") {
    EXPECT_EQ(in.exit_code, 0) << test::describe(in) << home_.daemon_log();
    EXPECT_EQ(in.out, "Logging in to " + bracket(iqn, iface) + "\nLogin to " +
                          bracket(iqn, iface) + " successful.\n");
    EXPECT_EQ(in.err, "");
  }
  // The iscsiadm lines of a refused login, then our wire-status line.
  void expect_login_refused(const test::CommandResult& in, const std::string& iqn, int code,
                            const std::string& message, const std::string& iface = "default") {
    EXPECT_EQ(in.exit_code, code) << test::describe(in);
    EXPECT_EQ(in.out, "Logging in to " + bracket(iqn, iface) + "\n");
    const std::string lines = "iscsiadm: Could not login to " + bracket(iqn, iface) +
                              ".\niscsiadm: initiator reported error (" + std::to_string(code) +
                              " - " + message + ")\n";
    EXPECT_EQ(in.err.rfind(lines, 0), 0U) << test::describe(in);
    EXPECT_TRUE(contains(in.err, "iscsiadm: Could not log into all portals\n")) << test::describe(in);
  }
  void logout_ok(const std::string& iqn) {
    const auto out = node(iqn, {"-u"});
    EXPECT_EQ(out.exit_code, 0) << test::describe(out);
    EXPECT_TRUE(contains(out.out, "Logout of [sid: ")) << test::describe(out);
    EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  }

  TgtdProcess tgtd_;
  IscsimHome home_;
  BackingFiles files_;
};

constexpr const char* kAuthFailure = "iSCSI login failed due to authorization failure";
constexpr const char* kFatalLogin = "encountered non-retryable iSCSI login failure";

TEST_F(IscsiadmTgtdTest, DiscoveryListsTheTargets) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1");
  make_target(tgtd_, 2, std::string(kAliyunIqn) + "b", "ALL");
  const auto found = home_.iscsiadm({"-m", "discovery", "-t", "st", "-p", tgtd_.portal()});
  ASSERT_EQ(found.exit_code, 0) << test::describe(found);
  EXPECT_EQ(found.out, tgtd_.portal() + ",1 " + kAliyunIqn + "\n" + tgtd_.portal() + ",1 " + kAliyunIqn +
                           "b\n");
  EXPECT_FALSE(home_.daemon_pid().has_value());
}

TEST_F(IscsiadmTgtdTest, OneWayChapFailsWithoutCredentialsThenSucceeds) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1");
  tgtadm_all(tgtd_, {{"--mode", "account", "--op", "new", "--user", "aliyun", "--password",
                      "123456"},
                     {"-m", "account", "-o", "bind", "-t", "1", "--user", "aliyun"}});
  discover_one(kAliyunIqn);
  const auto refused = node(kAliyunIqn, {"-l"});
  expect_login_refused(refused, kAliyunIqn, 24, kAuthFailure);
  // Our line after iscsiadm's: what tgtd put on the wire.
  EXPECT_TRUE(contains(refused.err, "iscsiadm: target answered Login status 0x0201 ("))
      << test::describe(refused);
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  update(kAliyunIqn, "node.session.auth.authmethod", "CHAP");
  update(kAliyunIqn, "node.session.auth.username", "aliyun");
  update(kAliyunIqn, "node.session.auth.password", "123456");
  expect_login_ok(node(kAliyunIqn, {"-l"}), kAliyunIqn);
  const auto listed = home_.iscsiadm({"-m", "session"});
  EXPECT_EQ(listed.exit_code, 0) << test::describe(listed);
  EXPECT_EQ(listed.out, "tcp: [1] " + tgtd_.portal() + ",1 " + kAliyunIqn + " (non-flash)\n");
  logout_ok(kAliyunIqn);
}

TEST_F(IscsiadmTgtdTest, MutualChapWithAWrongTargetSecretExits19AndTheRightOneSucceeds) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1");
  tgtadm_all(tgtd_, {{"--mode", "account", "--op", "new", "--user", "aliyun", "--password",
                      "123456"},
                     {"--mode", "account", "--op", "new", "--user", "tgtside", "--password",
                      "654321"},
                     {"-m", "account", "-o", "bind", "-t", "1", "--user", "aliyun"},
                     {"-m", "account", "-o", "bind", "-t", "1", "--user", "tgtside",
                      "--outgoing"}});
  discover_one(kAliyunIqn);
  update(kAliyunIqn, "node.session.auth.authmethod", "CHAP");
  update(kAliyunIqn, "node.session.auth.username", "aliyun");
  update(kAliyunIqn, "node.session.auth.password", "123456");
  update(kAliyunIqn, "node.session.auth.username_in", "tgtside");
  update(kAliyunIqn, "node.session.auth.password_in", "wrongsecret");
  const auto rejected = node(kAliyunIqn, {"-l"});
  expect_login_refused(rejected, kAliyunIqn, 19, kFatalLogin);
  // The initiator, not tgtd, ended it: the target's CHAP_R was wrong.
  EXPECT_TRUE(contains(rejected.err, "(chap.wrong-target-response)")) << test::describe(rejected);
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  update(kAliyunIqn, "node.session.auth.password_in", "654321");
  expect_login_ok(node(kAliyunIqn, {"-l"}), kAliyunIqn);
  logout_ok(kAliyunIqn);
}

TEST_F(IscsiadmTgtdTest, ATargetBoundToAnotherAddressIsHiddenRefusedAndReachedViaAnIface) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1");
  make_target(tgtd_, 2, kOtherIqn, "127.0.0.2");
  discover_one(kAliyunIqn);
  const auto made = node(kOtherIqn, {"-o", "new"});
  ASSERT_EQ(made.exit_code, 0) << test::describe(made);
  // tgtd answers 0x0203 to an initiator its ACL refuses: iscsiadm's 19.
  const auto denied = node(kOtherIqn, {"-l"});
  expect_login_refused(denied, kOtherIqn, 19, kFatalLogin);
  EXPECT_TRUE(contains(denied.err, "iscsiadm: target answered Login status 0x0203 ("))
      << test::describe(denied);
  EXPECT_TRUE(home_.daemon_gone_within(std::chrono::seconds(10))) << home_.daemon_log();
  for (const auto& args : Lines{{"-m", "iface", "-I", "lo2", "-o", "new"},
                                {"-m", "iface", "-I", "lo2", "-o", "update", "-n",
                                 "iface.ipaddress", "-v", "127.0.0.2"}}) {
    const auto done = home_.iscsiadm(args);
    ASSERT_EQ(done.exit_code, 0) << test::describe(done);
  }
  const auto bound = node(kOtherIqn, {"-I", "lo2", "-o", "new"});
  ASSERT_EQ(bound.exit_code, 0) << test::describe(bound);
  expect_login_ok(node(kOtherIqn, {"-I", "lo2", "-l"}), kOtherIqn, "lo2");
  const auto shown = tgtd_.tgtadm({"--op", "show", "--mode", "target"});
  EXPECT_TRUE(contains(shown.out, "IP Address: 127.0.0.2")) << shown.out;
  logout_ok(kOtherIqn);
}

TEST_F(IscsiadmTgtdTest, ARedirectConfiguredOnTgtdIsFollowed) {
  // tgtd does not redirect an initiator that already comes from the redirect address (it
  // compares RedirectAddress with the initiator's): the other tgtd listens on 127.0.0.3.
  TgtdProcess other(1, "127.0.0.3");
  ASSERT_TRUE(other.started()) << other.output();
  make_target(other, 1, kAliyunIqn, "ALL");
  make_target(tgtd_, 1, kAliyunIqn, "ALL");
  tgtadm_all(tgtd_, {{"--op", "update", "--mode", "target", "--tid", "1", "--name",
                      "RedirectAddress", "--value", "127.0.0.3"},
                     {"--op", "update", "--mode", "target", "--tid", "1", "--name",
                      "RedirectPort", "--value", std::to_string(other.port())},
                     {"--op", "update", "--mode", "target", "--tid", "1", "--name",
                      "RedirectReason", "--value", "Temporary"}});
  const auto made = node(kAliyunIqn, {"-o", "new"});
  ASSERT_EQ(made.exit_code, 0) << test::describe(made);
  expect_login_ok(node(kAliyunIqn, {"-l"}), kAliyunIqn);
  // The session lives on the redirected-to tgtd.
  const auto there = other.tgtadm({"--op", "show", "--mode", "target"});
  EXPECT_TRUE(contains(there.out, "I_T nexus: ")) << there.out;
  const auto here = tgtd_.tgtadm({"--op", "show", "--mode", "target"});
  EXPECT_FALSE(contains(here.out, "I_T nexus: ")) << here.out;
  logout_ok(kAliyunIqn);
}

TEST_F(IscsiadmTgtdTest, With64MiBPerLunWrittenAndVerifiedWithDigests) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1", 2);
  tgtadm_all(tgtd_, {{"--op", "update", "--mode", "target", "--tid", "1", "-n", "HeaderDigest",
                      "-v", "CRC32C"},
                     {"--op", "update", "--mode", "target", "--tid", "1", "-n", "DataDigest",
                      "-v", "CRC32C"}});
  discover_one(kAliyunIqn);
  update(kAliyunIqn, "node.conn[0].iscsi.HeaderDigest", "CRC32C");
  update(kAliyunIqn, "node.conn[0].iscsi.DataDigest", "CRC32C");
  expect_login_ok(node(kAliyunIqn, {"-l"}), kAliyunIqn);
  const auto detail = home_.iscsiadm({"-m", "session", "-P", "2"});
  EXPECT_TRUE(contains(detail.out, "HeaderDigest: CRC32C")) << test::describe(detail);
  EXPECT_TRUE(contains(detail.out, "DataDigest: CRC32C")) << test::describe(detail);
  for (const std::string lun : {"1", "2"}) {
    const std::vector<std::string> range{"--sid", "1", "--lun", lun, "--length", "64M",
                                         "--pattern-seed", "4" + lun};
    std::vector<std::string> write{"io", "write"};
    write.insert(write.end(), range.begin(), range.end());
    const auto written = home_.iscsim(write);
    ASSERT_EQ(written.exit_code, 0) << test::describe(written);
    EXPECT_EQ(written.out.rfind("LUN " + lun + ": wrote 67108864 bytes at offset 0 in ", 0), 0U)
        << written.out;
    std::vector<std::string> verify{"io", "verify"};
    verify.insert(verify.end(), range.begin(), range.end());
    const auto verified = home_.iscsim(verify);
    ASSERT_EQ(verified.exit_code, 0) << test::describe(verified);
    EXPECT_TRUE(contains(verified.out, "verified 67108864 bytes")) << test::describe(verified);
  }
  logout_ok(kAliyunIqn);
}

TEST_F(IscsiadmTgtdTest, IoWithALibiscsiUrlLogsInRunsAndLogsOut) {
  make_target(tgtd_, 1, kAliyunIqn, "127.0.0.1");
  tgtadm_all(tgtd_, {{"--mode", "account", "--op", "new", "--user", "aliyun", "--password",
                      "123456"},
                     {"-m", "account", "-o", "bind", "-t", "1", "--user", "aliyun"}});
  const std::string url = "iscsi://aliyun@" + tgtd_.portal() + "/" + kAliyunIqn + "/1";
  const auto capacity = home_.iscsim({"io", "readcap", url}, {"LIBISCSI_CHAP_PASSWORD=123456"});
  EXPECT_EQ(capacity.exit_code, 0) << test::describe(capacity);
  EXPECT_TRUE(contains(capacity.out, "131072")) << test::describe(capacity);  // 64 MiB of 512-byte blocks
  const auto refused = home_.iscsim({"io", "readcap", url}, {"LIBISCSI_CHAP_PASSWORD=wrong"});
  EXPECT_EQ(refused.exit_code, 3) << test::describe(refused);
  EXPECT_TRUE(contains(refused.err, "0x0201")) << test::describe(refused);
  EXPECT_FALSE(home_.daemon_pid().has_value());
}

}  // namespace
}  // namespace iscsi::integration
