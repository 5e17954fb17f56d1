// `iscsiadm -m node -l / -u / -L / -U` on an InitiatorHost against the reference target in the
// simulator: ACL denials and a bound iface, CHAP one-way, mutual and per algorithm, the tgt
// profile's algorithm quirk, a second login, logout, retries of an unreachable portal, a
// redirection and a malformed record value. Each case checks the exit code and every line.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/pdu/codec.hpp"
#include "tests/initiator-impl/host/host_lab.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::initiator::host::testing {
namespace {

std::string logged_in(std::string_view target, std::string_view iface = "default") {
  return fmt::format("Logging in to {0}\nLogin to {0} successful.\n", bracket(target, iface));
}

// The stderr of one failed login: iscsiadm's three lines, then our wire line.
std::string login_failed(std::string_view target, int code, std::string_view message,
                         std::string_view wire, std::string_view portal = "10.0.0.2,3260") {
  return fmt::format(
      "iscsiadm: Could not login to {}.\n"
      "iscsiadm: initiator reported error ({} - {})\n"
      "iscsiadm: Could not log into all portals\n"
      "iscsiadm: {}\n",
      bracket(target, "default", portal), code, message, wire);
}

constexpr std::string_view kAuthFailed = "iSCSI login failed due to authorization failure";
constexpr std::string_view kFatal = "encountered non-retryable iSCSI login failure";

std::string node(std::string_view target) {
  return fmt::format("-m node -T {} -p 10.0.0.2", target);
}

void set(HostLab& lab, std::string_view target, std::string_view key, std::string_view value) {
  const iscsiadm::Report report =
      lab.iscsiadm(fmt::format("{} -o update -n {} -v {}", node(target), key, value));
  ASSERT_EQ(report.exit_code, 0) << report.err;
}

void use_chap(HostLab& lab, std::string_view password) {
  set(lab, kChap, "node.session.auth.authmethod", "CHAP");
  set(lab, kChap, "node.session.auth.username", "labuser");
  set(lab, kChap, "node.session.auth.password", password);
}

TEST(HostLogin, AclDenialIs24UnderRfcAnd19UnderTgtAndTheBoundIfaceGetsIn) {
  struct Case {
    target::config::Profile profile;
    int code;
    std::string_view message;
    std::string_view wire;
  };
  const Case cases[] = {
      {target::config::Profile::rfc, 24, kAuthFailed,
       "target answered Login status 0x0202 (Authorization failure: the initiator is not "
       "allowed access to the given target)"},
      {target::config::Profile::tgt, 19, kFatal,
       "target answered Login status 0x0203 (Not found: the requested target name does not exist "
       "at this address)"}};
  for (const Case& c : cases) {
    HostLab lab({.profile = c.profile});
    configure_targets(lab);
    expect_report(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.2", kAcl)), 0,
                  fmt::format("New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] "
                              "10.0.0.2,3260,-1 {}] added\n",
                              kAcl),
                  "");
    expect_report(lab.iscsiadm(node(kAcl) + " -l"), c.code,
                  fmt::format("Logging in to {}\n", bracket(kAcl)),
                  login_failed(kAcl, c.code, c.message, c.wire));
    ASSERT_EQ(lab.iscsiadm("-m iface -I if2 -o new").exit_code, 0);
    ASSERT_EQ(lab.iscsiadm("-m iface -I if2 -o update -n iface.ipaddress -v 10.0.0.4").exit_code,
              0);
    expect_report(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.2 -I if2", kAcl)), 0,
                  fmt::format("New iSCSI node [tcp:[hw=,ip=10.0.0.4,net_if=,iscsi_if=if2] "
                              "10.0.0.2,3260,-1 {}] added\n",
                              kAcl),
                  "");
    expect_report(lab.iscsiadm(node(kAcl) + " -I if2 -l"), 0, logged_in(kAcl, "if2"), "");
    // The failed login burnt sid 1, as a kernel session is made before each login.
    expect_report(lab.iscsiadm("-m session"), 0,
                  fmt::format("tcp: [2] 10.0.0.2:3260,1 {} (non-flash)\n", kAcl), "");
    EXPECT_EQ(lab.host().session(2)->key().initiator.ipv4, kSecondInitiatorIpv4);
  }
}

TEST(HostLogin, OneWayChapWithoutCredentialsAndWithAWrongPasswordIs24) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  const std::string wire =
      "target answered Login status 0x0201 (Authentication failure: the initiator could not "
      "be successfully authenticated or target authentication is not supported)";
  expect_report(lab.iscsiadm(node(kChap) + " -l"), 24,
                fmt::format("Logging in to {}\n", bracket(kChap)),
                login_failed(kChap, 24, kAuthFailed, wire));
  use_chap(lab, "wrongsecret1");
  expect_report(lab.iscsiadm(node(kChap) + " -l"), 24,
                fmt::format("Logging in to {}\n", bracket(kChap)),
                login_failed(kChap, 24, kAuthFailed, wire));
  set(lab, kChap, "node.session.auth.password", "labsecret123");
  expect_report(lab.iscsiadm(node(kChap) + " -l"), 0, logged_in(kChap), "");
  expect_report(lab.iscsiadm("-m session"), 0,
                fmt::format("tcp: [3] 10.0.0.2:3260,1 {} (non-flash)\n", kChap), "");
  ASSERT_EQ(lab.host().sessions().size(), 1u);
  EXPECT_EQ(lab.host().session(3)->login_result().connection.auth_method, "CHAP");
}

TEST(HostLogin, MutualChapWithAWrongTargetSecretIs19LocallyAndTheRightOneLogsIn) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  use_chap(lab, "labsecret123");
  set(lab, kChap, "node.session.auth.username_in", "tgtuser");
  set(lab, kChap, "node.session.auth.password_in", "notthesecret1");
  const iscsiadm::Report wrong = lab.iscsiadm(node(kChap) + " -l");
  EXPECT_EQ(wrong.exit_code, 19);
  EXPECT_EQ(wrong.out, fmt::format("Logging in to {}\n", bracket(kChap)));
  // The last line names our own check; its CHAP_I is the one our Rng drew.
  const std::string expected = login_failed(kChap, 19, kFatal, "");
  const std::string head = expected.substr(0, expected.size() - 1);
  ASSERT_EQ(wrong.err.substr(0, head.size()), head);
  const std::string last = wrong.err.substr(head.size());
  EXPECT_EQ(last.rfind("the initiator rejected the target's authentication: Login Response "
                       "carries a CHAP_R that does not match the MD5 response to our CHAP_I=",
                       0),
            0u)
      << last;
  EXPECT_TRUE(last.ends_with("; closing without another PDU (chap.wrong-target-response)\n"))
      << last;
  set(lab, kChap, "node.session.auth.password_in", "tgtsecret456");
  expect_report(lab.iscsiadm(node(kChap) + " -l"), 0, logged_in(kChap), "");
}

TEST(HostLogin, ChapWithEachAlgorithmUsesThatAlgorithm) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  use_chap(lab, "labsecret123");
  const std::pair<std::string_view, int> algorithms[] = {
      {"SHA3-256", 8}, {"SHA256", 7}, {"SHA1", 6}, {"MD5", 5}};
  for (const auto& [name, number] : algorithms) {
    SCOPED_TRACE(name);
    set(lab, kChap, "node.session.auth.chap_algs", name);
    const iscsiadm::Report report = lab.iscsiadm("-d 1 " + node(kChap) + " -l");
    EXPECT_EQ(report.exit_code, 0) << report.err;
    EXPECT_EQ(report.out, logged_in(kChap));
    // Our offer names only this algorithm, and the target's challenge came with it.
    EXPECT_NE(report.err.find(fmt::format("CHAP_A={}", number)), std::string::npos) << report.err;
    const iscsiadm::Report logout = lab.iscsiadm(node(kChap) + " -u");
    EXPECT_EQ(logout.exit_code, 0) << logout.err;
  }
}

TEST(HostLogin, TheTgtProfileAnswersAnOfferOf8765With0200LikeRealTgt) {
  HostLab lab({.profile = target::config::Profile::tgt});
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  use_chap(lab, "labsecret123");
  set(lab, kChap, "node.session.auth.chap_algs", "SHA3-256,SHA256,SHA1,MD5");
  expect_report(lab.iscsiadm(node(kChap) + " -l"), 19,
                fmt::format("Logging in to {}\n", bracket(kChap)),
                login_failed(kChap, 19, kFatal,
                             "target answered Login status 0x0200 (Initiator error: "
                             "miscellaneous iSCSI initiator errors)"));
}

TEST(HostLogin, ASecondLoginToTheSameNodeIs15AndTheRecordCannotBeDeleted) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  expect_report(lab.iscsiadm(node(kDisk) + " -l"), 0, logged_in(kDisk), "");
  expect_report(lab.iscsiadm(node(kDisk) + " -l"), 15, "",
                fmt::format("iscsiadm: default: 1 session requested, but 1 already present.\n"
                            "iscsiadm: Could not log into all portals\n"
                            "iscsiadm: a session to {} at 10.0.0.2:3260 exists already; no "
                            "login was sent\n",
                            kDisk));
  const iscsiadm::Report deleted = lab.iscsiadm(node(kDisk) + " -o delete");
  EXPECT_EQ(deleted.exit_code, 15);
  EXPECT_EQ(deleted.out, "");
  EXPECT_NE(deleted.err.find("Could not execute operation on all records: session exists"),
            std::string::npos)
      << deleted.err;
  EXPECT_EQ(lab.host().sessions().size(), 1u);
}

TEST(HostLogin, LoginAllThenLogoutOneThenLogoutAll) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  use_chap(lab, "labsecret123");
  // Every "Logging in" line first, then the results, in record order (chap, disk).
  expect_report(lab.iscsiadm("-m node -L all"), 0,
                fmt::format("Logging in to {0}\nLogging in to {1}\nLogin to {0} successful.\n"
                            "Login to {1} successful.\n",
                            bracket(kChap), bracket(kDisk)),
                "");
  expect_report(lab.iscsiadm("-m session"), 0,
                fmt::format("tcp: [1] 10.0.0.2:3260,1 {} (non-flash)\n"
                            "tcp: [2] 10.0.0.2:3260,1 {} (non-flash)\n",
                            kChap, kDisk),
                "");
  const std::string disk_session =
      fmt::format("[sid: 2, target: {}, portal: 10.0.0.2,3260]", kDisk);
  expect_report(lab.iscsiadm(node(kDisk) + " -u"), 0,
                fmt::format("Logging out of session {0}\nLogout of {0} successful.\n",
                            disk_session),
                "");
  const std::string chap_session =
      fmt::format("[sid: 1, target: {}, portal: 10.0.0.2,3260]", kChap);
  expect_report(lab.iscsiadm("-m node -U all"), 0,
                fmt::format("Logging out of session {0}\nLogout of {0} successful.\n",
                            chap_session),
                "");
  expect_report(lab.iscsiadm("-m node -U all"), 21, "",
                "iscsiadm: No matching sessions found\n");
  expect_report(lab.iscsiadm("-m session"), 21, "", "iscsiadm: No active sessions.\n");
  // The target saw both logouts: a new login gets a new sid, never an old one.
  expect_report(lab.iscsiadm(node(kDisk) + " -l"), 0, logged_in(kDisk), "");
  EXPECT_NE(lab.host().session(3), nullptr);
}

TEST(HostLogin, AnUnreachablePortalIsRetriedThenExits4) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.2:3261", kDisk)).exit_code,
            0);
  const std::string record = fmt::format("-m node -T {} -p 10.0.0.2:3261", kDisk);
  ASSERT_EQ(
      lab.iscsiadm(record + " -o update -n node.session.initial_login_retry_max -v 2").exit_code,
      0);
  expect_report(lab.iscsiadm(record + " -l"), 4,
                fmt::format("Logging in to {}\n", bracket(kDisk, "default", "10.0.0.2,3261")),
                login_failed(kDisk, 4, "encountered connection failure",
                             "no Login status: TCP connection to 10.0.0.2:3261 refused",
                             "10.0.0.2,3261"));
  // The first attempt and two retries.
  EXPECT_EQ(lab.refused_connects(), 3u);
}

// A portal that answers every first Login Request with one Status-Class 3 status (RFC 7143
// §11.13.5: "target error", which open-iscsi retries), counting the logins it saw.
class BusyPortal {
 public:
  BusyPortal(HostLab& lab, std::uint16_t port, std::uint16_t status) : status_(status) {
    auto listening = lab.second_target_host().listen(
        {kSecondTargetIpv4, port}, [this](std::unique_ptr<runtime::Stream> stream) {
          peers_.push_back(std::make_unique<Peer>(*this, std::move(stream)));
        });
    EXPECT_TRUE(listening.ok());
  }
  std::size_t logins() const { return logins_; }

 private:
  struct Peer final : runtime::StreamHandler {
    Peer(BusyPortal& portal, std::unique_ptr<runtime::Stream> s)
        : owner(portal), stream(std::move(s)) {
      stream->set_handler(this);
    }
    void on_data(ByteView bytes) override {
      input.insert(input.end(), bytes.begin(), bytes.end());
      if (answered || input.size() < pdu::kBhsLength) return;
      auto decoded = pdu::decode_bhs(input);
      const auto* request =
          decoded.ok() ? std::get_if<pdu::LoginRequest>(&decoded.value().pdu.header) : nullptr;
      if (request == nullptr) return;
      answered = true;
      ++owner.logins_;
      test::LoginParams params{.csg = request->csg, .nsg = request->csg, .transit = false,
                               .continue_ = false, .isid = request->isid};
      const auto status = static_cast<pdu::LoginStatus>(owner.status_);
      stream->write(pdu::encode(test::login_response(
          params, {.itt = request->itt, .stat_sn = 0, .exp_cmd_sn = request->cmd_sn,
                   .max_cmd_sn = request->cmd_sn},
          status, {})));
      stream->shutdown_write();
    }
    void on_writable() override {}
    void on_closed(runtime::CloseReason) override {}

    BusyPortal& owner;
    std::unique_ptr<runtime::Stream> stream;
    Bytes input;
    bool answered = false;
  };

  std::uint16_t status_;
  std::size_t logins_ = 0;
  std::vector<std::unique_ptr<Peer>> peers_;
};

TEST(HostLogin, ATargetErrorIsRetriedThenExits5) {
  HostLab lab;
  BusyPortal busy(lab, 3270, 0x0301);
  ASSERT_EQ(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.5:3270", kDisk)).exit_code,
            0);
  const std::string record = fmt::format("-m node -T {} -p 10.0.0.5:3270", kDisk);
  ASSERT_EQ(
      lab.iscsiadm(record + " -o update -n node.session.initial_login_retry_max -v 3").exit_code,
      0);
  expect_report(lab.iscsiadm(record + " -l"), 5,
                fmt::format("Logging in to {}\n", bracket(kDisk, "default", "10.0.0.5,3270")),
                login_failed(kDisk, 5, "encountered iSCSI login failure",
                             "target answered Login status 0x0301 (Service unavailable: the "
                             "iSCSI service or target is not currently operational)",
                             "10.0.0.5,3270"));
  // The first attempt and three retries, each a login the portal answered.
  EXPECT_EQ(busy.logins(), 4u);
}

TEST(HostLogin, APortalThatNeverAnswersTimesOutWith8) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.9", kDisk)).exit_code, 0);
  const std::string record = fmt::format("-m node -T {} -p 10.0.0.9", kDisk);
  ASSERT_EQ(
      lab.iscsiadm(record + " -o update -n node.session.initial_login_retry_max -v 1").exit_code,
      0);
  ASSERT_EQ(lab.iscsiadm(record + " -o update -n node.conn[0].timeo.login_timeout -v 2").exit_code,
            0);
  const runtime::TimePoint start = lab.simulator().now();
  expect_report(lab.iscsiadm(record + " -l"), 8,
                fmt::format("Logging in to {}\n", bracket(kDisk, "default", "10.0.0.9,3260")),
                login_failed(kDisk, 8, "connection timed out",
                             "no Login status: no answer from 10.0.0.9:3260 within the login "
                             "timeout",
                             "10.0.0.9,3260"));
  // Two connects of login_timeout each, with the retry delay between them.
  EXPECT_GE(lab.simulator().now() - start, std::chrono::seconds(4));
}

TEST(HostLogin, ARedirectionIsFollowedAndTheSessionShowsWhereItWent) {
  HostLab lab;
  configure_targets(lab);
  constexpr std::string_view kMoved = "iqn.2026-01.test.lab:moved";
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 5 -T {}", kMoved));
  lab.configure("--lld iscsi --op bind --mode target --tid 5 -I ALL");
  lab.configure("--lld iscsi --op update --mode target --tid 5 --name RedirectAddress --value "
                "10.0.0.5");
  lab.configure("--lld iscsi --op update --mode target --tid 5 --name RedirectPort --value 3260");
  lab.configure("--lld iscsi --op update --mode target --tid 5 --name RedirectReason --value "
                "Temporary");
  lab.configure(fmt::format("--lld iscsi --op new --mode target --tid 1 -T {}", kMoved), true);
  lab.configure("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 1M",
                true);
  lab.configure("--lld iscsi --op bind --mode target --tid 1 -I ALL", true);
  ASSERT_EQ(lab.iscsiadm(fmt::format("-m node -o new -T {} -p 10.0.0.2", kMoved)).exit_code, 0);
  expect_report(lab.iscsiadm(node(kMoved) + " -l"), 0, logged_in(kMoved), "");
  expect_report(lab.iscsiadm("-m session"), 0,
                fmt::format("tcp: [1] 10.0.0.5:3260,1 {} (non-flash)\n", kMoved), "");
  expect_report(lab.iscsiadm("-m session -P 1"), 0,
                fmt::format("Target: {} (non-flash)\n"
                            "\tCurrent Portal: 10.0.0.5:3260,1\n"
                            "\tPersistent Portal: 10.0.0.2:3260,1\n"
                            "\t\t**********\n"
                            "\t\tInterface:\n"
                            "\t\t**********\n"
                            "\t\tIface Name: default\n"
                            "\t\tIface Transport: tcp\n"
                            "\t\tIface Initiatorname: {}\n"
                            "\t\tIface IPaddress: 10.0.0.1\n"
                            "\t\tIface HWaddress: default\n"
                            "\t\tIface Netdev: default\n"
                            "\t\tSID: 1\n"
                            "\t\tiSCSI Connection State: LOGGED IN\n"
                            "\t\tiSCSI Session State: LOGGED_IN\n"
                            "\t\tInternal iscsid Session State: NO CHANGE\n",
                            kMoved, kHostName),
                "");
}

TEST(HostLogin, AMalformedRecordValueIsNamedAndNothingIsSent) {
  HostLab lab;
  configure_targets(lab);
  ASSERT_EQ(lab.iscsiadm("-m discovery -t st -p 10.0.0.2").exit_code, 0);
  set(lab, kDisk, "node.conn[0].timeo.login_timeout", "-1");
  const std::size_t pdus = lab.host_trace().pdus.size();
  expect_report(lab.iscsiadm(node(kDisk) + " -l"), 7, "",
                fmt::format("iscsiadm: cannot log in to {}: invalid value '-1' for "
                            "node.conn[0].timeo.login_timeout: it must lie between 1 and 3600\n",
                            bracket(kDisk)));
  EXPECT_EQ(lab.host_trace().pdus.size(), pdus);
  EXPECT_TRUE(lab.host().sessions().empty());
}

}  // namespace
}  // namespace iscsi::initiator::host::testing
