// RunOptions::capture_pcap: every frame between the scenario's hosts as a pcap file, the same
// bytes for the same seed, no change to the run itself, and (when tshark is installed) a file
// that Wireshark's decoder reads without a malformed frame, decoding the login as iSCSI.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/scenarios/runner_support.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::scenarios {
namespace {

using testing::describe;
using testing::kChapWorld;
using testing::load_inline;

constexpr std::string_view kCapturedSteps = R"yaml(
name: captured
seed: 21
steps:
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 24}
  - iscsid.conf:
      node.session.auth.authmethod: CHAP
      node.session.auth.username: alice
      node.session.auth.password: secret123456
  - run: iscsiadm -m discovery -t st -p 10.0.0.2:3260
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2:3260 -l
    expect: {exit: 0}
  - io: {lun: 1, block: 128KiB, write: {bytes: 512KiB}, verify: {bytes: 512KiB}}
    expect: {data_verified: true}
  - logout: all
    expect: {exit: 0}
)yaml";

RunOptions capture(std::uint64_t seed) {
  RunOptions options;
  options.seed = seed;
  options.capture_pcap = true;
  return options;
}

TEST(ScenarioRunnerPcap, CaptureIsFilledAndDeterministic) {
  const Scenario scenario = load_inline(std::string(kCapturedSteps) + std::string(kChapWorld));
  const RunResult first = run_scenario(scenario, capture(21));
  EXPECT_TRUE(first.passed) << describe(first);
  // A pcap file header (24 bytes) and frames; libpcap writes its magic in host order.
  ASSERT_GT(first.pcap.size(), 24U + 100U * 54U);
  const std::uint32_t magic = static_cast<std::uint32_t>(first.pcap[0]) |
                              static_cast<std::uint32_t>(first.pcap[1]) << 8 |
                              static_cast<std::uint32_t>(first.pcap[2]) << 16 |
                              static_cast<std::uint32_t>(first.pcap[3]) << 24;
  EXPECT_TRUE(magic == 0xa1b2c3d4U || magic == 0xa1b23c4dU) << std::hex << magic;
  const RunResult second = run_scenario(scenario, capture(21));
  EXPECT_EQ(first.pcap, second.pcap);
  // Another seed moves the jittered times, so the file differs.
  EXPECT_NE(first.pcap, run_scenario(scenario, capture(22)).pcap);
}

TEST(ScenarioRunnerPcap, CapturingChangesNothingElse) {
  const Scenario scenario = load_inline(std::string(kCapturedSteps) + std::string(kChapWorld));
  RunResult captured = run_scenario(scenario, capture(21));
  RunOptions plain;
  plain.seed = 21;
  const RunResult without = run_scenario(scenario, plain);
  EXPECT_TRUE(without.pcap.empty());
  EXPECT_FALSE(captured.pcap.empty());
  captured.pcap.clear();
  EXPECT_TRUE(captured == without);
}

std::string write_temp(const Bytes& bytes, const std::string& name) {
  const std::string path =
      ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return path;
}

test::CommandResult tshark(const std::string& path, std::vector<std::string> extra) {
  std::vector<std::string> argv{"tshark", "-n", "-r", path,
                                "-o", "iscsi.bogus_pdu_max_data_len:16777215",
                                "-o", "ip.check_checksum:TRUE",
                                "-o", "tcp.check_checksum:TRUE"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  test::CommandOptions options;
  options.timeout = std::chrono::seconds(120);
  return test::run_command(argv, options);
}

// The portal is on 3260, where tshark decodes iSCSI without being told; no digests are
// negotiated (tshark 4.0 cannot follow data digests, see tests/pcap/).
TEST(ScenarioRunnerPcap, TsharkDecodesTheCaptureWithoutMalformedFrames) {
  if (!test::program_available("tshark")) GTEST_SKIP() << "tshark not installed";
  const Scenario scenario = load_inline(std::string(kCapturedSteps) + std::string(kChapWorld));
  const RunResult result = run_scenario(scenario, capture(21));
  ASSERT_TRUE(result.passed) << describe(result);
  const std::string path = write_temp(result.pcap, "scenario.pcap");
  const auto problems = tshark(path, {"-Y", "_ws.malformed || _ws.expert.severity >= 0x800000",
                                      "-T", "fields", "-e", "frame.number"});
  ASSERT_EQ(problems.exit_code, 0) << test::describe(problems);
  EXPECT_EQ(problems.out, "") << "frames tshark finds malformed or in error";
  const auto logins = tshark(path, {"-Y", "iscsi.opcode == 0x03", "-T", "fields", "-e",
                                    "frame.number"});
  ASSERT_EQ(logins.exit_code, 0) << test::describe(logins);
  EXPECT_FALSE(logins.out.empty()) << "no Login Request decoded";
  const auto frames = tshark(path, {"-T", "fields", "-e", "frame.number"});
  std::istringstream lines(frames.out);
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_GT(count, 100U);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace iscsi::scenarios
