// Issue 3 (Determinism): the simulated ping exchange captured through PcapRecorder is
// byte-identical for the same seed; another seed changes the segmentation (so the capture)
// but not what the application sees.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/exchange_runs.hpp"
#include "tests/support/capture_reader.hpp"

namespace iscsi::integration {
namespace {

// The payload size of every TCP segment in the capture, in frame order (read back through
// libpcap, independently of the recorder).
std::vector<std::size_t> segment_sizes(const Bytes& capture, std::uint64_t seed) {
  const std::string path =
      fmt::format("{}/integration-determinism-seed{}.pcap", ::testing::TempDir(), seed);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(capture.data()),
              static_cast<std::streamsize>(capture.size()));
  }
  std::vector<std::size_t> sizes;
  auto segments = test::read_tcp_segments(path);
  EXPECT_TRUE(segments.ok()) << (segments.ok() ? "" : segments.error().to_string());
  if (segments.ok()) {
    for (const test::TcpSegment& segment : segments.value()) {
      if (!segment.payload.empty()) sizes.push_back(segment.payload.size());
    }
  }
  std::remove(path.c_str());
  return sizes;
}

TEST(SimDeterminism, SameSeedGivesByteIdenticalCapture) {
  const ExchangeResult first = run_sim_exchange({.seed = 7, .capture = true});
  const ExchangeResult second = run_sim_exchange({.seed = 7, .capture = true});
  ASSERT_TRUE(first.client.finished);
  // 24-byte pcap header plus at least the handshake, every PDU and the FINs.
  ASSERT_GT(first.capture.size(), 24U + 2U * 8192U);
  EXPECT_TRUE(first.capture == second.capture) << "two runs with seed 7 differ";
  EXPECT_EQ(first.client.answers, second.client.answers);
}

TEST(SimDeterminism, OtherSeedChangesSegmentationButNotTheOutcome) {
  const ExchangeResult seven = run_sim_exchange({.seed = 7, .capture = true});
  const ExchangeResult eight = run_sim_exchange({.seed = 8, .capture = true});
  ASSERT_TRUE(seven.client.finished);
  ASSERT_TRUE(eight.client.finished);
  ASSERT_FALSE(seven.capture.empty());
  ASSERT_FALSE(eight.capture.empty());
  EXPECT_FALSE(seven.capture == eight.capture) << "seeds 7 and 8 gave the same capture";
  const std::vector<std::size_t> seven_sizes = segment_sizes(seven.capture, 7);
  const std::vector<std::size_t> eight_sizes = segment_sizes(eight.capture, 8);
  ASSERT_FALSE(seven_sizes.empty());
  EXPECT_NE(seven_sizes, eight_sizes) << "seeds 7 and 8 cut the streams the same way";
  EXPECT_EQ(seven.client.answers, eight.client.answers);
  EXPECT_EQ(seven.client.received, eight.client.received);
  EXPECT_EQ(seven.server_answered, eight.server_answered);
}

}  // namespace
}  // namespace iscsi::integration
