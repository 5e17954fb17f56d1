// Built-in scenarios against live targets over loopback (docs/scenarios.md, Against a live
// target; issue 6, "Runner and outputs"): `iscsim target` configured through `iscsim tgtadm`,
// and tgt's tgtd configured through scripts/tgtd-admin-hook.sh, each started by the test on
// 127.0.0.1 with a free port and a control port of its own. The same files and expectations as
// in the simulator; the capture is synthesized from what the initiators wrote and read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/target_process.hpp"
#include "tests/integration/tgtd_process.hpp"
#include "tests/scenarios/runner_support.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::scenarios {
namespace {

const std::filesystem::path kLiveBuiltinDir = ISCSI_SOURCE_DIR "/scenarios/builtin";
const std::string kLiveHookScript = ISCSI_SOURCE_DIR "/scripts/tgtd-admin-hook.sh";

Scenario live_builtin(const std::string& stem) {
  std::ifstream in(kLiveBuiltinDir / (stem + ".yaml"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Result<Scenario> loaded = load_scenario(text.str(), stem + ".yaml");
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.error().detail;
    return Scenario{};
  }
  return std::move(loaded).value();
}

// The 1-based indexes of the skipped steps.
std::vector<std::size_t> skipped_steps(const RunResult& result) {
  std::vector<std::size_t> indexes;
  for (const StepResult& step : result.steps) {
    if (step.skipped) indexes.push_back(step.index);
  }
  return indexes;
}

class LiveIscsimTargetTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveIscsimTargetTest, PassesAsInTheSimulator) {
  integration::TargetProcess target;
  ASSERT_TRUE(target.started()) << target.output();
  const Scenario scenario = live_builtin(GetParam());
  const RunResult result = run_scenario(
      scenario,
      {.profile = Profile::rfc,
       .capture_pcap = true,
       .live = LiveTarget{
           .host = "127.0.0.1", .port = target.port(), .admin_command = target.admin_command()}});
  EXPECT_TRUE(result.passed) << testing::describe(result) << target.output();
  EXPECT_EQ(result.steps.size(), scenario.steps.size());
  EXPECT_TRUE(result.notes.empty());
  EXPECT_EQ(skipped_steps(result), std::vector<std::size_t>{});
  EXPECT_FALSE(result.pdus.empty());
  EXPECT_GT(result.pcap.size(), 24U);  // more than the pcap file header
}

// The tutorial's scenarios with in-memory LUNs, against `iscsim target` through `iscsim tgtadm`.
// tutorial-07 names backing-store files (made by truncate and dd lines), which only an admin
// hook that keeps real files can serve: it runs against tgtd below.
INSTANTIATE_TEST_SUITE_P(Tutorial, LiveIscsimTargetTest,
                         ::testing::Values("tutorial-01-targets-luns", "tutorial-02-discovery",
                                           "tutorial-03-acl", "tutorial-04-chap-oneway",
                                           "tutorial-05-iscsid-conf-edit",
                                           "tutorial-06-chap-mutual"));

// The live capture is synthesized from what the initiator wrote and read: tshark reads it
// without a malformed frame and decodes the logins as iSCSI (told the live port).
TEST(LiveIscsimTarget, CaptureDecodesInTshark) {
  if (!test::program_available("tshark")) GTEST_SKIP() << "tshark not installed";
  integration::TargetProcess target;
  ASSERT_TRUE(target.started()) << target.output();
  const RunResult result = run_scenario(
      live_builtin("tutorial-04-chap-oneway"),
      {.capture_pcap = true,
       .live = LiveTarget{
           .host = "127.0.0.1", .port = target.port(), .admin_command = target.admin_command()}});
  ASSERT_TRUE(result.passed) << testing::describe(result);
  char path[] = "/tmp/iscsim-live-pcap-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(result.pcap.data()),
             static_cast<std::streamsize>(result.pcap.size()));
  const std::string decode_as = "tcp.port==" + std::to_string(target.port()) + ",iscsi";
  const auto problems = test::run_command({"tshark", "-n", "-r", path, "-d", decode_as, "-o",
                                           "iscsi.bogus_pdu_max_data_len:16777215", "-Y",
                                           "_ws.malformed || _ws.expert.severity >= 0x800000", "-T",
                                           "fields", "-e", "frame.number"});
  const auto logins =
      test::run_command({"tshark", "-n", "-r", path, "-d", decode_as, "-Y", "iscsi.opcode == 0x03",
                         "-T", "fields", "-e", "frame.number"});
  std::remove(path);
  ASSERT_EQ(problems.exit_code, 0) << test::describe(problems);
  EXPECT_EQ(problems.out, "") << "frames tshark finds malformed or in error";
  ASSERT_EQ(logins.exit_code, 0) << test::describe(logins);
  EXPECT_FALSE(logins.out.empty()) << "no Login Request decoded";
}

// Without an admin command the target is configured beforehand (here by the test, with the
// scenario's own lines mapped by hand): the target block is left out with a note, and the
// one tgtadm step (step 1, `--op show`) is skipped; every other step passes.
TEST(LiveIscsimTarget, WithoutAnAdminCommandSkipsTheTgtadmStep) {
  integration::TargetProcess target;
  ASSERT_TRUE(target.started()) << target.output();
  const std::vector<std::vector<std::string>> lines = {
      {"--lld", "iscsi", "--mode", "target", "--op", "new", "--tid", "1", "--targetname",
       "iqn.2019-01.com.aliyun:28329176"},
      {"--lld", "iscsi", "--mode", "logicalunit", "--op", "new", "--tid", "1", "--lun", "1",
       "--backing-store", "ram:64M"},
      {"--lld", "iscsi", "--mode", "target", "--op", "bind", "--tid", "1", "--initiator-address",
       "127.168.234.0/24"},
      {"--lld", "iscsi", "--mode", "account", "--op", "new", "--user", "aliyun", "--password",
       "123456"},
      {"--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", "1", "--user", "aliyun"},
      {"--lld", "iscsi", "--mode", "account", "--op", "new", "--user", "mutual", "--password",
       "567890"},
      {"--lld", "iscsi", "--mode", "account", "--op", "bind", "--tid", "1", "--user", "mutual",
       "--outgoing"}};
  for (const auto& line : lines) {
    const auto done = target.tgtadm(line);
    ASSERT_EQ(done.exit_code, 0) << test::describe(done);
  }
  const RunResult result =
      run_scenario(live_builtin("tutorial-06-chap-mutual"),
                   {.live = LiveTarget{.host = "127.0.0.1", .port = target.port()}});
  EXPECT_TRUE(result.passed) << testing::describe(result);
  EXPECT_EQ(skipped_steps(result), std::vector<std::size_t>{1});
  EXPECT_EQ(result.steps.at(0).note, "tgtadm line not run: no admin command (--target-admin)");
  ASSERT_EQ(result.notes.size(), 1U);
  EXPECT_EQ(result.notes[0],
            "the target block's 7 tgtadm line(s) were not run: no admin command (--target-admin)");
}

// A directory for the hook's sparse LUN files, removed at the end.
class LiveHookDir {
 public:
  LiveHookDir() {
    std::string pattern = "/tmp/iscsim-live-tgtd-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~LiveHookDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  LiveHookDir(const LiveHookDir&) = delete;
  LiveHookDir& operator=(const LiveHookDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class LiveTgtdTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LiveTgtdTest, PassesUnderTheTgtProfile) {
  if (!integration::TgtdProcess::installed()) GTEST_SKIP() << "tgtd is not installed (tgt)";
  if (::geteuid() != 0) GTEST_SKIP() << "tgtd needs root";
  LiveHookDir dir;
  ASSERT_FALSE(dir.path().empty());
  integration::TgtdProcess tgtd;
  ASSERT_TRUE(tgtd.started()) << tgtd.output();
  const std::string admin = "TGTD_CONTROL_PORT=" + std::to_string(tgtd.control_port()) +
                            " TGTD_HOOK_DIR='" + dir.path() + "' bash '" + kLiveHookScript + "'";
  const Scenario scenario = live_builtin(GetParam());
  const RunResult result = run_scenario(
      scenario,
      {.profile = Profile::tgt,
       .capture_pcap = true,
       .live = LiveTarget{.host = "127.0.0.1", .port = tgtd.port(), .admin_command = admin}});
  // The expectations under tgt include tgt 1.0.85's departures our initiator names (ExpDataSN 0
  // after R2Ts, one Data-In sequence per read): the tgt profile reproduces them in the
  // simulator, so the same `expect_tgt` holds against the real tgtd.
  EXPECT_TRUE(result.passed) << testing::describe(result) << tgtd.output();
  EXPECT_EQ(result.steps.size(), scenario.steps.size());
  EXPECT_EQ(skipped_steps(result), std::vector<std::size_t>{});
  EXPECT_GT(result.pcap.size(), 24U);
  if (std::string(GetParam()) == "tutorial-04-chap-oneway") {
    // The hook made the 40G RAM LUN a sparse file of that size.
    EXPECT_EQ(std::filesystem::file_size(dir.path() + "/tid1-lun1.img"), 40ULL << 30);
  }
  EXPECT_TRUE(tgtd.stop());
}

// Issue 6: "CI runs the tutorial scenarios against a tgtd it starts, configured through that
// hook" — all seven of them.
INSTANTIATE_TEST_SUITE_P(Tutorial, LiveTgtdTest,
                         ::testing::Values("tutorial-01-targets-luns", "tutorial-02-discovery",
                                           "tutorial-03-acl", "tutorial-04-chap-oneway",
                                           "tutorial-05-iscsid-conf-edit",
                                           "tutorial-06-chap-mutual", "tutorial-07-multi-lun-io"));

}  // namespace
}  // namespace iscsi::scenarios
