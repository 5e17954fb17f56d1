#include "pcap/pcap_recorder.hpp"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <chrono>
#include <filesystem>

#include "tests/pcap/raw_frames.hpp"
#include "tests/support/capture_reader.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"

namespace iscsi::pcap {
namespace {

using runtime::Side;
using std::chrono::microseconds;

constexpr runtime::Endpoint kInitiator{0x0a000002, 40001};  // 10.0.0.2
constexpr runtime::Endpoint kTarget{0x0a000001, 3260};      // 10.0.0.1
constexpr runtime::ConnectionKey kKey{kInitiator, kTarget};

runtime::TimePoint at_us(std::int64_t us) { return runtime::TimePoint(microseconds(us)); }

// Writes through `record` into a fresh file and returns its path.
template <class Record>
std::string record_file(const std::string& name, Record record, RecorderOptions options = {}) {
  test::FakeClock clock;
  const std::string path = test::temp_capture_path(name);
  auto recorder = PcapRecorder::open_file(path, clock, options);
  EXPECT_TRUE(recorder.ok());
  if (!recorder.ok()) return path;
  record(**recorder);
  EXPECT_TRUE((*recorder)->finish().ok());
  return path;
}

std::vector<test::TcpSegment> segments_of(const std::string& path) {
  auto segments = test::read_tcp_segments(path);
  EXPECT_TRUE(segments.ok()) << (segments.ok() ? "" : segments.error().to_string());
  return segments.ok() ? *segments : std::vector<test::TcpSegment>{};
}

std::uint32_t ack_of(const test::RawFrame& frame) { return load_be32(&frame.bytes[34 + 8]); }
std::uint8_t flags_of(const test::RawFrame& frame) { return frame.bytes[34 + 13]; }

TEST(PcapRecorder, WritesAThreeWayHandshake) {
  const auto path = record_file("handshake.pcap", [](PcapRecorder& r) {
    r.on_connected(at_us(5), kKey);
  });
  EXPECT_EQ(test::capture_link_type(path), DLT_EN10MB);
  const auto segments = segments_of(path);
  const auto frames = test::read_raw_frames(path);
  ASSERT_EQ(segments.size(), 3u);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_TRUE(segments[0].syn);
  EXPECT_EQ(segments[0].source, kInitiator);
  EXPECT_EQ(flags_of(frames[0]), tcp_flag::syn);
  EXPECT_TRUE(segments[1].syn);
  EXPECT_EQ(segments[1].source, kTarget);
  EXPECT_EQ(flags_of(frames[1]), tcp_flag::syn | tcp_flag::ack);
  EXPECT_EQ(ack_of(frames[1]), segments[0].sequence_number + 1);
  EXPECT_EQ(flags_of(frames[2]), tcp_flag::ack);
  EXPECT_EQ(segments[2].sequence_number, segments[0].sequence_number + 1);
  EXPECT_EQ(ack_of(frames[2]), segments[1].sequence_number + 1);
  for (const auto& frame : frames) {
    EXPECT_EQ(frame.unix_time_ns, test::FakeClock::kUnixStartNs + 5'000);
  }
}

TEST(PcapRecorder, SplitsPayloadAtTheMssAndAdvancesSequenceNumbers) {
  const Bytes request = test::pattern_bytes(3000, 1);
  const Bytes response = test::pattern_bytes(700, 2);
  const auto path = record_file("mss.pcap", [&](PcapRecorder& r) {
    r.on_connected(at_us(0), kKey);
    r.on_segment(at_us(10), kKey, Side::client, request);
    r.on_segment(at_us(20), kKey, Side::server, response);
  });
  const auto segments = segments_of(path);
  const auto frames = test::read_raw_frames(path);
  // Handshake, 1448 + 1448 (then a pure ACK from the target), 104, then the response.
  ASSERT_EQ(segments.size(), 3u + 4 + 1);
  EXPECT_EQ(segments[3].payload.size(), 1448u);
  EXPECT_EQ(segments[4].payload.size(), 1448u);
  EXPECT_TRUE(segments[5].payload.empty());
  EXPECT_EQ(segments[5].source, kTarget);
  EXPECT_EQ(ack_of(frames[5]), segments[4].sequence_number + 1448);
  EXPECT_EQ(segments[6].payload.size(), 104u);
  EXPECT_EQ(flags_of(frames[6]), tcp_flag::ack | tcp_flag::psh);
  EXPECT_EQ(flags_of(frames[3]), tcp_flag::ack);
  EXPECT_EQ(segments[4].sequence_number, segments[3].sequence_number + 1448);
  EXPECT_EQ(segments[7].source, kTarget);
  EXPECT_EQ(ack_of(frames[7]), segments[6].sequence_number + 104) << "piggy-backed ACK";
  EXPECT_EQ(segments[7].sequence_number, segments[1].sequence_number + 1);
  const auto streams = test::split_directions(segments);
  ASSERT_EQ(streams.size(), 2u);
  for (const auto& stream : streams) {
    EXPECT_EQ(stream.bytes, stream.source == kInitiator ? request : response);
  }
  for (const auto& frame : frames) EXPECT_TRUE(test::tcp_checksum_ok(frame.bytes));
}

TEST(PcapRecorder, NeverPutsMoreThanOneIpv4PacketOfPayloadInAFrame) {
  const Bytes big = test::pattern_bytes(300'000, 3);
  const auto path = record_file(
      "big.pcap",
      [&](PcapRecorder& r) { r.on_segment(at_us(1), kKey, Side::server, big); },
      {.mss = 1'000'000});  // clamped to 65495
  EXPECT_GE(test::capture_snap_length(path), 14 + 65535);
  for (const auto& frame : test::read_raw_frames(path)) {
    EXPECT_EQ(frame.bytes.size(), frame.original_length) << "no frame may be truncated";
    EXPECT_TRUE(test::tcp_checksum_ok(frame.bytes));
  }
  const auto segments = segments_of(path);
  std::size_t data_frames = 0;
  for (const auto& segment : segments) {
    EXPECT_LE(segment.payload.size(), kMaxTcpPayload);
    if (!segment.payload.empty()) ++data_frames;
  }
  EXPECT_EQ(data_frames, 5u);  // ceil(300000 / 65495)
  const auto streams = test::split_directions(segments);
  ASSERT_EQ(streams.size(), 2u) << "handshake synthesized for a connection seen mid-way";
  for (const auto& stream : streams) {
    if (stream.source == kTarget) {
      EXPECT_EQ(stream.bytes, big);
    }
  }
}

TEST(PcapRecorder, FinIsAcknowledgedAndConsumesASequenceNumber) {
  const auto path = record_file("fin.pcap", [](PcapRecorder& r) {
    r.on_connected(at_us(0), kKey);
    r.on_segment(at_us(1), kKey, Side::client, test::pattern_bytes(10));
    r.on_fin(at_us(2), kKey, Side::client);
    r.on_segment(at_us(3), kKey, Side::client, test::pattern_bytes(5));  // after FIN: dropped
    r.on_fin(at_us(4), kKey, Side::server);
  });
  const auto frames = test::read_raw_frames(path);
  const auto segments = segments_of(path);
  ASSERT_EQ(frames.size(), 3u + 1 + 2 + 2);
  EXPECT_TRUE(segments[4].fin);
  EXPECT_EQ(segments[4].sequence_number, segments[3].sequence_number + 10);
  EXPECT_EQ(ack_of(frames[5]), segments[4].sequence_number + 1);
  EXPECT_TRUE(segments[6].fin);
  EXPECT_EQ(segments[6].source, kTarget);
  EXPECT_EQ(ack_of(frames[6]), segments[4].sequence_number + 1);
  EXPECT_EQ(ack_of(frames[7]), segments[6].sequence_number + 1);
  EXPECT_EQ(frames[7].unix_time_ns, test::FakeClock::kUnixStartNs + 4'000);
}

TEST(PcapRecorder, ResetAndRefusedConnections) {
  const runtime::ConnectionKey refused{{0x0a000002, 40002}, kTarget};
  const auto path = record_file("rst.pcap", [&](PcapRecorder& r) {
    r.on_connected(at_us(0), kKey);
    r.on_segment(at_us(1), kKey, Side::client, test::pattern_bytes(48));
    r.on_reset(at_us(2), kKey, Side::server);
    r.on_refused(at_us(3), refused);
  });
  const auto frames = test::read_raw_frames(path);
  const auto segments = segments_of(path);
  ASSERT_EQ(segments.size(), 3u + 1 + 1 + 2);
  EXPECT_TRUE(segments[4].rst);
  EXPECT_EQ(segments[4].source, kTarget);
  EXPECT_EQ(ack_of(frames[4]), segments[3].sequence_number + 48);
  EXPECT_TRUE(segments[5].syn);
  EXPECT_EQ(segments[5].source.port, 40002);
  EXPECT_TRUE(segments[6].rst);
  EXPECT_EQ(flags_of(frames[6]), tcp_flag::rst | tcp_flag::ack);
  EXPECT_EQ(segments[6].sequence_number, 0u);
  EXPECT_EQ(ack_of(frames[6]), segments[5].sequence_number + 1);
}

void scripted_exchange(runtime::TransportTrace& trace) {
  const runtime::ConnectionKey second{{0x0a000003, 40001}, kTarget};
  trace.on_connected(at_us(0), kKey);
  trace.on_connected(at_us(1), second);
  trace.on_segment(at_us(2), kKey, Side::client, test::pattern_bytes(5000, 4));
  trace.on_segment(at_us(3), second, Side::server, test::pattern_bytes(77, 5));
  trace.on_fin(at_us(4), kKey, Side::client);
  trace.on_reset(at_us(5), second, Side::client);
}

TEST(PcapRecorder, IdenticalCallsGiveIdenticalFiles) {
  const auto first = test::read_file_bytes(record_file("det1.pcap", scripted_exchange));
  const auto second = test::read_file_bytes(record_file("det2.pcap", scripted_exchange));
  ASSERT_GT(first.size(), 24u);
  EXPECT_EQ(first, second);
  // A different port gives different ISNs, so the determinism above is not a constant.
  const auto other = test::read_file_bytes(record_file("det3.pcap", [](PcapRecorder& r) {
    r.on_connected(at_us(0), {{0x0a000002, 40009}, kTarget});
  }));
  const auto same = test::read_file_bytes(record_file("det4.pcap", [](PcapRecorder& r) {
    r.on_connected(at_us(0), kKey);
  }));
  ASSERT_EQ(other.size(), same.size());
  EXPECT_NE(other, same);
}

TEST(PcapRecorder, MemoryModeProducesTheSameBytesAsAFile) {
  const auto file = test::read_file_bytes(record_file("mem.pcap", scripted_exchange));
  test::FakeClock clock;
  auto recorder = PcapRecorder::open_memory(clock);
  ASSERT_TRUE(recorder.ok());
  scripted_exchange(**recorder);
  auto memory = (*recorder)->finish();
  ASSERT_TRUE(memory.ok());
  EXPECT_EQ(*memory, file);
  EXPECT_EQ((*recorder)->frames_written(), test::read_raw_frames(
                                               test::temp_capture_path("mem.pcap")).size());
}

TEST(PcapRecorder, TimestampsFollowTheClockEpoch) {
  test::FakeClock clock;
  clock.advance_to(at_us(1'000'000));  // the recorder starts one second into the run
  const std::string path = test::temp_capture_path("epoch.pcap");
  auto recorder = PcapRecorder::open_file(path, clock);
  ASSERT_TRUE(recorder.ok());
  (*recorder)->on_connected(at_us(1'500'000) + std::chrono::nanoseconds(7), kKey);
  ASSERT_TRUE((*recorder)->finish().ok());
  const auto frames = test::read_raw_frames(path);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].unix_time_ns, test::FakeClock::kUnixStartNs + 1'500'000'007);
}

TEST(PcapRecorder, OpeningAnUnwritablePathFails) {
  test::FakeClock clock;
  auto recorder = PcapRecorder::open_file("/nonexistent-dir/x/y.pcap", clock);
  ASSERT_FALSE(recorder.ok());
  EXPECT_EQ(recorder.error().id(), "capture.write-failed");
}

}  // namespace
}  // namespace iscsi::pcap
