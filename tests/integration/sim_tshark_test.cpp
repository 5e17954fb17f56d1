// Issue 3 (pcap/ writer, validation with an independent decoder): tshark reads the captures
// of the simulated and the loopback ping exchange with zero malformed frames and decodes every
// PDU, in order, with the right opcode (NOP-Out 0x00, NOP-In 0x20).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/exchange_runs.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::integration {
namespace {

std::string write_temp_capture(const Bytes& capture, const std::string& name) {
  const std::string path = fmt::format("{}/integration-ping-{}.pcap", ::testing::TempDir(), name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(capture.data()),
            static_cast<std::streamsize>(capture.size()));
  return out ? path : std::string();
}

test::CommandResult run_tshark(const std::string& path, std::uint16_t port,
                               std::vector<std::string> extra) {
  std::vector<std::string> argv{"tshark", "-n", "-r", path,
                                "-o", fmt::format("iscsi.target_ports:{}", port),
                                "-o", "iscsi.bogus_pdu_max_data_len:16777215"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  test::CommandOptions options;
  options.timeout = std::chrono::seconds(120);
  return test::run_command(argv, options);
}

// One entry per PDU: tshark lists several PDUs of one frame comma-separated.
std::vector<std::string> fields(const std::string& text) {
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), ',', '\n');
  std::istringstream in(flat);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Zero malformed frames, and NOP-Out (RFC 7143 §11.18, 0x00) then NOP-In (§11.19, 0x20) for
// every ping, in order.
void expect_clean_ping_capture(const Bytes& capture, const std::string& name,
                               std::uint16_t port) {
  const std::string path = write_temp_capture(capture, name);
  ASSERT_FALSE(path.empty()) << "cannot write the capture";

  const auto malformed =
      run_tshark(path, port, {"-Y", "_ws.malformed", "-T", "fields", "-e", "frame.number"});
  ASSERT_EQ(malformed.exit_code, 0) << malformed.err;
  EXPECT_EQ(malformed.out, "") << "frames tshark finds malformed in " << name;

  const auto decoded =
      run_tshark(path, port, {"-Y", "iscsi", "-T", "fields", "-e", "iscsi.opcode"});
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < ping_sizes().size(); ++i) {
    expected.emplace_back("0x00");
    expected.emplace_back("0x20");
  }
  EXPECT_EQ(fields(decoded.out), expected) << name;
  std::remove(path.c_str());
}

class SimTshark : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  void SetUp() override {
    if (!test::program_available("tshark")) GTEST_SKIP() << "tshark not installed";
  }
};

TEST_P(SimTshark, DecodesEveryPingAndEchoWithoutMalformedFrames) {
  const ExchangeResult run = run_sim_exchange({.seed = GetParam(), .capture = true});
  ASSERT_TRUE(run.client.finished);
  expect_clean_ping_capture(run.capture, fmt::format("sim-seed{}", GetParam()), kSimPort);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SimTshark, ::testing::Values(1U, 7U, 42U, 1234U));

TEST(LoopbackTshark, DecodesTheSynthesizedCaptureOfARealRun) {
  if (!test::program_available("tshark")) GTEST_SKIP() << "tshark not installed";
  const ExchangeResult run = run_loopback_exchange(std::chrono::seconds(5), true);
  ASSERT_TRUE(run.client.finished);
  ASSERT_NE(run.server_port, 0);
  expect_clean_ping_capture(run.capture, "loopback", run.server_port);
}

}  // namespace
}  // namespace iscsi::integration
