// Real bytes no one here wrote: the tgtd <-> libiscsi capture of ../shared/testdata. Every
// direction of every connection frames cleanly, segment by segment as TCP delivered it, the
// opcode counts equal tshark's (tshark -Y iscsi -T fields -e iscsi.opcode), and re-encoding
// every decoded PDU reproduces its bytes exactly.
#include <gtest/gtest.h>

#include <map>

#include "core/pdu/codec.hpp"
#include "tests/core/pdu/frame_runner.hpp"
#include "tests/support/capture_reader.hpp"

namespace iscsi::pdu {
namespace {

constexpr char kCapture[] = ISCSI_SHARED_DIR "/testdata/tgtd-libiscsi-session.pcap";
// Streams up to this size are also framed at every split offset (quadratic cost).
constexpr std::size_t kEverySplitMaxBytes = 4096;

std::vector<test::DirectionalStream> capture_streams() {
  Result<std::vector<test::TcpSegment>> segments = test::read_tcp_segments(kCapture);
  EXPECT_TRUE(segments.ok()) << segments.error().to_string();
  if (!segments) return {};
  return test::split_directions(*segments);
}

std::vector<std::size_t> segment_sizes(const test::DirectionalStream& stream) {
  std::vector<std::size_t> sizes;
  std::size_t previous = 0;
  for (const auto& [frame, end] : stream.frame_ends) {
    sizes.push_back(end - previous);
    previous = end;
  }
  return sizes;
}

TEST(PduCapture, TgtLibiscsiSessionOpcodeCountsMatchTshark) {
  const FramerOptions options{.max_data_segment_length = kMaxDataSegmentLength};
  std::map<std::uint8_t, int> counts;
  std::size_t framed_every_way = 0;
  for (const test::DirectionalStream& stream : capture_streams()) {
    const testing::FrameRun run =
        stream.bytes.size() <= kEverySplitMaxBytes
            ? testing::run_framer_every_way(stream.bytes, options)
            : testing::run_framer(stream.bytes, segment_sizes(stream), options);
    framed_every_way += stream.bytes.size() <= kEverySplitMaxBytes;
    EXPECT_TRUE(run.clean_end);
    for (const testing::Outcome& outcome : run.outcomes) {
      ASSERT_TRUE(outcome.pdu.has_value()) << outcome.error;
      EXPECT_TRUE(outcome.observations.empty()) << outcome.observations.front();
      ++counts[static_cast<std::uint8_t>(opcode(*outcome.pdu))];
    }
  }
  const std::map<std::uint8_t, int> tshark = {
      {0x01, 119}, {0x02, 1},  {0x03, 12}, {0x04, 1},  {0x05, 6}, {0x06, 7}, {0x21, 71},
      {0x22, 1},   {0x23, 12}, {0x24, 1},  {0x25, 48}, {0x26, 7}, {0x31, 6}};
  EXPECT_EQ(counts, tshark);
  EXPECT_GT(framed_every_way, 0u);
}

TEST(PduCapture, ReEncodingReproducesEveryPdu) {
  std::size_t pdus = 0;
  for (const test::DirectionalStream& stream : capture_streams()) {
    ByteView rest = stream.bytes;
    while (!rest.empty()) {
      const std::size_t length = pdu_wire_length(rest, {});
      ASSERT_GE(length, kBhsLength);
      ASSERT_LE(length, rest.size());
      const ByteView wire = rest.first(length);
      Result<DecodedPdu> decoded = decode(wire);
      ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
      EXPECT_EQ(encode(decoded->pdu), Bytes(wire.begin(), wire.end()))
          << to_string(opcode(decoded->pdu));
      rest = rest.subspan(length);
      ++pdus;
    }
  }
  EXPECT_EQ(pdus, 292u);
}

}  // namespace
}  // namespace iscsi::pdu
