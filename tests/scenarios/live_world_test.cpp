// Live runs (RunOptions::live; docs/scenarios.md, Against a live target) without a target
// process: the address map, the loopback-only rule, skipped fault and tgtadm steps with their
// notes, and the admin command (what it receives, a failure stopping the setup with its output).
// The scenarios here open no connection: their steps are faults, waits and tgtadm lines.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "scenarios/live_address_map.hpp"
#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::load_inline;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr std::string_view kLiveAclWorld = R"yaml(
hosts:
  target: {ip: 192.168.234.131}
  client: {ip: 192.168.234.10}
  other: {ip: 10.1.2.3}
target:
  host: target
  tgtadm: |
    tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2019-01.com.example:disk
    tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address 192.168.234.0/24
    tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address 10.1.2.3
initiators:
  - {host: client, initiatorname: iqn.2012-01.com.example:client}
  - {host: other, initiatorname: iqn.2012-01.com.example:other}
)yaml";

Scenario live_scenario(std::string_view steps) {
  return load_inline(std::string("name: live\n") + std::string(steps) + std::string(kLiveAclWorld));
}

TEST(LiveAddressMap, MapsPortalsToTheLiveEndpointAndOtherAddressesUnder127) {
  const Scenario scenario = live_scenario("steps:\n  - wait: 1ms\n");
  auto map = LiveAddressMap::make(scenario, {0x7f000001, 3261});
  ASSERT_TRUE(map.ok()) << map.error().detail;
  EXPECT_EQ(map->map_word("192.168.234.131:3260"), "127.0.0.1:3261");
  EXPECT_EQ(map->map_word("192.168.234.131"), "127.0.0.1:3261");
  // The target's address on a port it does not serve stays unreachable, under 127.
  EXPECT_EQ(map->map_word("192.168.234.131:3999"), "127.168.234.131:3999");
  EXPECT_EQ(map->map_word("192.168.234.10"), "127.168.234.10");
  EXPECT_EQ(map->map_word("192.168.234.0/24"), "127.168.234.0/24");
  EXPECT_EQ(map->map_word("10.0.0.0/7"), "127.0.0.0/8");
  EXPECT_EQ(map->map_word("ALL"), "ALL");
  EXPECT_EQ(map->map_word("iqn.2019-01.com.example:disk"), "iqn.2019-01.com.example:disk");
  EXPECT_EQ(map->source_of(*scenario.host("client")), 0x7fa8ea0aU);  // 127.168.234.10
  EXPECT_EQ(map->source_of(*scenario.host("other")), 0x7f010203U);   // 127.1.2.3
}

TEST(LiveAddressMap, PutsTheScenarioAddressesBackIntoOutput) {
  const Scenario scenario = live_scenario("steps:\n  - wait: 1ms\n");
  auto map = LiveAddressMap::make(scenario, {0x7f000001, 3261});
  ASSERT_TRUE(map.ok()) << map.error().detail;
  EXPECT_EQ(map->unmap_text("127.0.0.1:3261,1 iqn.a\nportal: 127.0.0.1,3261]\n"),
            "192.168.234.131:3260,1 iqn.a\nportal: 192.168.234.131,3260]\n");
  EXPECT_EQ(map->unmap_text("ACL 127.168.234.0/24 and 127.1.2.3 from 127.168.234.10."),
            "ACL 192.168.234.0/24 and 10.1.2.3 from 192.168.234.10.");
  // Only whole addresses: 127.0.0.10 is someone else's; on another port the live address is
  // still the target's.
  EXPECT_EQ(map->unmap_text("127.0.0.10 127.0.0.1:32610"), "127.0.0.10 192.168.234.131:32610");
  EXPECT_EQ(map->unmap_text("connect to 127.0.0.1 failed"), "connect to 192.168.234.131 failed");
}

TEST(LiveAddressMap, RefusesInitiatorsThatWouldShareALoopbackAddress) {
  Scenario scenario = live_scenario("steps:\n  - wait: 1ms\n");
  scenario.hosts[2].ipv4 = {0x0aa8ea0a};  // 10.168.234.10: the same 127.168.234.10 as client
  auto map = LiveAddressMap::make(scenario, {0x7f000001, 3261});
  ASSERT_FALSE(map.ok());
  EXPECT_TRUE(has(map.error().detail, "would both connect from 127.168.234.10"))
      << map.error().detail;
}

TEST(LiveRun, RefusesATargetOutsideLoopback) {
  const Scenario scenario = live_scenario("steps:\n  - wait: 1ms\n");
  for (const char* host : {"192.168.234.131", "10.0.0.1", "8.8.8.8"}) {
    const RunResult result = run_scenario(scenario, {.live = LiveTarget{.host = host}});
    EXPECT_FALSE(result.passed);
    EXPECT_TRUE(result.steps.empty());
    EXPECT_EQ(result.setup_error,
              std::string("live target ") + host +
                  " refused: iscsim sends traffic only to loopback addresses (127.0.0.0/8)");
  }
  const RunResult named = run_scenario(scenario, {.live = LiveTarget{.host = "localhost"}});
  EXPECT_EQ(named.setup_error, "live target host 'localhost' is not an IPv4 address");
}

TEST(LiveRun, TakesTheTargetFromAnIscsiUrl) {
  auto target = live_target_from_url("iscsi://127.0.0.1:3261", "hook.sh");
  ASSERT_TRUE(target.ok()) << target.error().detail;
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, 3261);
  EXPECT_EQ(target->admin_command, "hook.sh");
  auto default_port = live_target_from_url("iscsi://127.0.0.2", "");
  ASSERT_TRUE(default_port.ok()) << default_port.error().detail;
  EXPECT_EQ(default_port->port, 3260);
  auto remote = live_target_from_url("iscsi://10.0.0.1:3260", "");
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.error().detail,
            "live target 10.0.0.1 refused: iscsim sends traffic only to loopback addresses "
            "(127.0.0.0/8)");
  auto with_target = live_target_from_url("iscsi://127.0.0.1/iqn.2019-01.com.example:disk/1", "");
  ASSERT_FALSE(with_target.ok());
  EXPECT_TRUE(has(with_target.error().detail, "give iscsi://HOST[:PORT] only"))
      << with_target.error().detail;
  EXPECT_FALSE(live_target_from_url("http://127.0.0.1", "").ok());
}

TEST(LiveRun, SkipsFaultsAndTgtadmLinesWithANoteAndChecksNothingOfThem) {
  const Scenario scenario = live_scenario(R"yaml(steps:
  - wait: 20ms
  - run: tgtadm --lld iscsi --mode target --op show
    expect: {exit: 3, stdout_contains: "never printed"}
  - iscsid.conf: {node.session.auth.authmethod: CHAP}
    on: client
  - fault: {kind: partition, between: [target, client]}
    expect: {session: logged_in}
  - name: what follows a fault depends on it
    wait: 20ms
    expect: {session: logged_in}
)yaml");
  const RunResult result =
      run_scenario(scenario, {.live = LiveTarget{.host = "127.0.0.1", .port = 3261}});
  ASSERT_TRUE(result.passed) << describe(result);
  ASSERT_EQ(result.steps.size(), 5U);
  EXPECT_FALSE(result.steps[0].skipped);
  EXPECT_GE(result.steps[0].end - result.steps[0].start, std::chrono::milliseconds(20));
  EXPECT_TRUE(result.steps[1].skipped);
  EXPECT_EQ(result.steps[1].note, "tgtadm line not run: no admin command (--target-admin)");
  EXPECT_FALSE(result.steps[2].skipped);
  EXPECT_TRUE(result.steps[2].note.empty());
  EXPECT_TRUE(result.steps[3].skipped);
  EXPECT_EQ(result.steps[3].note, "fault partition not run: faults need the simulator");
  // The steps after a fault a live run cannot inject are skipped too, and say why.
  EXPECT_TRUE(result.steps[4].skipped);
  EXPECT_EQ(result.steps[4].note,
            "not run: it follows step 4, a fault the live target did not get");
  EXPECT_EQ(result.steps[4].end, result.steps[4].start);
  ASSERT_EQ(result.notes.size(), 1U);
  EXPECT_EQ(result.notes[0],
            "the target block's 3 tgtadm line(s) were not run: no admin command (--target-admin)");
}

// A scratch file the admin command writes, removed at the end.
class ScratchFile {
 public:
  ScratchFile() {
    char path[] = "/tmp/iscsim-live-admin-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd >= 0) ::close(fd);
    path_ = path;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }
  std::string text() const {
    std::ifstream in(path_);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }

 private:
  std::string path_;
};

TEST(LiveRun, HandsTgtadmLinesToTheAdminCommandWithAddressesMapped) {
  const Scenario scenario = live_scenario(R"yaml(steps:
  - run: tgtadm --lld iscsi --mode target --op show
    expect: {exit: 0, stdout: "ACL 192.168.234.0/24"}
)yaml");
  ScratchFile received;
  const std::string admin = "cat >> " + received.path() + "; echo 'ACL 127.168.234.0/24'";
  const RunResult result = run_scenario(
      scenario, {.live = LiveTarget{.host = "127.0.0.1", .port = 3261, .admin_command = admin}});
  ASSERT_TRUE(result.passed) << describe(result);
  EXPECT_TRUE(result.notes.empty());
  EXPECT_FALSE(result.steps[0].skipped);
  EXPECT_EQ(received.text(),
            "tgtadm --lld iscsi --mode target --op new --tid 1 --targetname "
            "iqn.2019-01.com.example:disk\n"
            "tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address "
            "127.168.234.0/24\n"
            "tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address 127.1.2.3\n"
            "tgtadm --lld iscsi --mode target --op show\n");
}

TEST(LiveRun, AFailingAdminCommandStopsTheSetupWithItsOutput) {
  const Scenario scenario = live_scenario("steps:\n  - wait: 1ms\n");
  const RunResult result = run_scenario(
      scenario,
      {.live = LiveTarget{.host = "127.0.0.1",
                          .admin_command = "cat >/dev/null; echo tgtadm: cannot find the target; "
                                           "echo 'bound 127.168.234.10' >&2; exit 22"}});
  EXPECT_FALSE(result.passed);
  EXPECT_TRUE(result.steps.empty());
  EXPECT_EQ(result.setup_error,
            "inline.yaml:10:3: the admin command failed on the target block's tgtadm lines "
            "(exit 22): tgtadm: cannot find the target\nbound 192.168.234.10\n");
}

TEST(LiveRun, AnAdminCommandThatFailsInAStepFailsThatStep) {
  const Scenario scenario = live_scenario(R"yaml(steps:
  - run: tgtadm --lld iscsi --mode target --op show
    expect: {exit: 0}
)yaml");
  // Exits 4 on the `--op show` line only: the target block's lines pass.
  const std::string admin = "read -r first; [ \"$first\" = \"${first#*show}\" ] || exit 4";
  const RunResult result =
      run_scenario(scenario, {.live = LiveTarget{.host = "127.0.0.1", .admin_command = admin}});
  ASSERT_EQ(result.steps.size(), 1U) << describe(result);
  EXPECT_FALSE(result.steps[0].passed);
  EXPECT_EQ(result.steps[0].output.exit_code, 4);
  EXPECT_EQ(result.steps[0].failures, std::vector<std::string>{"expected exit 0, got 4"});
}

}  // namespace
}  // namespace iscsi::scenarios
