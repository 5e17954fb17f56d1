// Interop: `iscsim target` on 127.0.0.1, configured through `iscsim tgtadm`, against libiscsi's
// command-line tools (Debian's libiscsi-bin 1.19): discovery with iscsi-ls, INQUIRY and READ
// CAPACITY(16), CHAP with URL credentials, and ACLs by initiator name and by address.
// peer-behaviour.md: libiscsi's tools cannot choose a source address, so address ACLs are shown
// here only as "bound elsewhere refuses 127.0.0.1"; the simulator tests cover the rest.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/target_process.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::integration {
namespace {

constexpr const char* kIqn = "iqn.2026-01.org.example.interop:disk1";
constexpr const char* kClient = "iqn.2026-01.org.example.interop:client";

bool tools_installed() {
  return test::program_available("iscsi-ls") && test::program_available("iscsi-inq") &&
         test::program_available("iscsi-readcapacity16");
}

#define SKIP_WITHOUT_LIBISCSI()                                                              \
  if (!tools_installed()) {                                                                  \
    GTEST_SKIP() << "libiscsi's tools (iscsi-ls, iscsi-inq, iscsi-readcapacity16) are not " \
                    "installed: apt-get install libiscsi-bin";                               \
  }

using test::describe;

test::CommandResult run_tool(std::vector<std::string> argv) {
  return test::run_command(argv, {.stdin_data = "", .timeout = std::chrono::seconds(30)});
}

class TargetInterop : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) {
    target_ = std::make_unique<TargetProcess>(std::move(extra));
    ASSERT_TRUE(target_->started()) << "iscsim target did not start:\n" << target_->output();
  }
  void tgtadm(const std::string& line) {
    std::vector<std::string> args;
    std::istringstream words(line);
    for (std::string word; words >> word;) args.push_back(word);
    const test::CommandResult result = target_->tgtadm(args);
    ASSERT_EQ(result.exit_code, 0) << line << "\n" << describe(result);
  }
  // The tutorial's target: one 64 MiB RAM LUN, open to every address.
  void lab_target(const std::string& bind = "-I ALL") {
    tgtadm(std::string("--lld iscsi --op new --mode target --tid 1 -T ") + kIqn);
    tgtadm("--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bstype ram -b 64M");
    tgtadm("--lld iscsi --op bind --mode target --tid 1 " + bind);
  }
  std::string url(const std::string& credentials = "") const {
    return "iscsi://" + credentials + target_->portal() + "/" + kIqn + "/1";
  }
  void TearDown() override {
    if (target_) {
      const auto status = target_->stop();
      EXPECT_EQ(status, 0) << "iscsim target did not shut down cleanly:\n" << target_->output();
    }
  }

  std::unique_ptr<TargetProcess> target_;
};

TEST_F(TargetInterop, IscsiLsDiscoversTheTargetAndItsLun) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target();
  const auto listed = run_tool({"iscsi-ls", "-s", "iscsi://" + target_->portal()});
  EXPECT_EQ(listed.exit_code, 0) << describe(listed);
  EXPECT_NE(listed.out.find(kIqn), std::string::npos) << describe(listed);
  EXPECT_NE(listed.out.find(target_->portal()), std::string::npos) << describe(listed);
}

TEST_F(TargetInterop, IscsiInqAndReadCapacity16SeeA64MiBDisk) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target();
  const auto inquiry = run_tool({"iscsi-inq", url()});
  EXPECT_EQ(inquiry.exit_code, 0) << describe(inquiry);
  EXPECT_NE(inquiry.out.find("IET"), std::string::npos) << describe(inquiry);
  const auto capacity = run_tool({"iscsi-readcapacity16", url()});
  EXPECT_EQ(capacity.exit_code, 0) << describe(capacity);
  // 64 MiB in 512-byte blocks: the last LBA is 131071; 4096-byte physical blocks (LBPPBE 3).
  EXPECT_NE(capacity.out.find("131071"), std::string::npos) << describe(capacity);
  EXPECT_NE(capacity.out.find("512"), std::string::npos) << describe(capacity);
}

TEST_F(TargetInterop, ChapRightPasswordWorksWrongOrMissingFails) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target();
  tgtadm("--lld iscsi --op new --mode account --user labuser --password labsecret123");
  tgtadm("--lld iscsi --op bind --mode account --tid 1 --user labuser");
  const auto right = run_tool({"iscsi-inq", url("labuser%labsecret123@")});
  EXPECT_EQ(right.exit_code, 0) << describe(right);
  const auto wrong = run_tool({"iscsi-inq", url("labuser%not-the-secret@")});
  EXPECT_NE(wrong.exit_code, 0) << describe(wrong);
  const auto missing = run_tool({"iscsi-inq", url()});
  EXPECT_NE(missing.exit_code, 0) << describe(missing);
}

TEST_F(TargetInterop, MutualChapWithTargetCredentialsInTheUrl) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target();
  tgtadm("--lld iscsi --op new --mode account --user labuser --password labsecret123");
  tgtadm("--lld iscsi --op bind --mode account --tid 1 --user labuser");
  tgtadm("--lld iscsi --op new --mode account --user tgtuser --password tgtsecret456");
  tgtadm("--lld iscsi --op bind --mode account --tid 1 --user tgtuser --outgoing");
  const auto mutual = run_tool(
      {"iscsi-inq", url("labuser%labsecret123@") + "?target_user=tgtuser&target_password=tgtsecret456"});
  EXPECT_EQ(mutual.exit_code, 0) << describe(mutual);
  // A wrong target secret: libiscsi finds the target's answer wrong and gives up.
  const auto wrong = run_tool(
      {"iscsi-inq", url("labuser%labsecret123@") + "?target_user=tgtuser&target_password=nope"});
  EXPECT_NE(wrong.exit_code, 0) << describe(wrong);
}

TEST_F(TargetInterop, InitiatorNameAclAdmitsTheBoundNameOnly) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target(std::string("-Q ") + kClient);
  const auto bound = run_tool({"iscsi-inq", "-i", kClient, url()});
  EXPECT_EQ(bound.exit_code, 0) << describe(bound);
  const auto other = run_tool({"iscsi-inq", "-i", "iqn.2026-01.org.example.interop:other", url()});
  EXPECT_NE(other.exit_code, 0) << describe(other);
}

TEST_F(TargetInterop, ATargetBoundToAnotherAddressRefusesLoopbackAndHidesFromDiscovery) {
  SKIP_WITHOUT_LIBISCSI();
  start();
  lab_target("-I 127.0.0.2");
  const auto refused = run_tool({"iscsi-inq", url()});
  EXPECT_NE(refused.exit_code, 0) << describe(refused);
  const auto listed = run_tool({"iscsi-ls", "iscsi://" + target_->portal()});
  EXPECT_EQ(listed.out.find(kIqn), std::string::npos) << describe(listed);
}

TEST_F(TargetInterop, TgtadmShowPrintsTheLayoutAndSystemDeleteStopsTheTarget) {
  start();
  lab_target();
  const auto show = target_->tgtadm({"--lld", "iscsi", "--mode", "target", "--op", "show"});
  EXPECT_EQ(show.exit_code, 0) << describe(show);
  EXPECT_NE(show.out.find(std::string("Target 1: ") + kIqn), std::string::npos) << describe(show);
  EXPECT_NE(show.out.find("Size: 67 MB"), std::string::npos) << describe(show);
  // tgtadm's refusals keep tgtadm's exit codes.
  const auto exists = target_->tgtadm({"--lld", "iscsi", "--op", "new", "--mode", "target",
                                       "--tid", "1", "-T", kIqn});
  EXPECT_EQ(exists.exit_code, 22) << describe(exists);
  EXPECT_NE(exists.err.find("tgtadm: "), std::string::npos) << describe(exists);
  tgtadm("--lld iscsi --op delete --mode target --tid 1 --force");
  tgtadm("--op delete --mode system");
  const auto status = target_->stop();
  EXPECT_EQ(status, 0) << target_->output();
  EXPECT_NE(target_->output().find("shutting down"), std::string::npos) << target_->output();
  target_.reset();
}

TEST(TargetTgtadm, NoTargetOnTheControlPortIsExit107) {
  const auto result = test::run_command(
      {ISCSIM_BINARY, "tgtadm", "-C", std::to_string(unique_control_port()), "--lld",
       "iscsi", "--mode", "target", "--op", "show"},
      {.stdin_data = "", .timeout = std::chrono::seconds(30)});
  EXPECT_EQ(result.exit_code, 107) << describe(result);
  EXPECT_NE(result.err.find("tgtadm: "), std::string::npos) << describe(result);
}

TEST(TargetTgtadm, UsageErrorsNeedNoTarget) {
  const auto result = test::run_command({ISCSIM_BINARY, "tgtadm", "--mode", "foo", "--op", "show"},
                                        {.stdin_data = "", .timeout = std::chrono::seconds(30)});
  EXPECT_EQ(result.exit_code, 1) << describe(result);
  EXPECT_NE(result.err.find("unknown mode"), std::string::npos) << describe(result);
}

}  // namespace
}  // namespace iscsi::integration
