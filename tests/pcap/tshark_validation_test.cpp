// Independent-decoder validation (issue 3, "pcap/ (writer)"): tshark must read what the
// recorder writes with zero malformed frames, zero expert errors (checksums checked), and
// decode every iSCSI PDU with the right opcode, in order.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "pcap/pcap_recorder.hpp"
#include "tests/pcap/raw_frames.hpp"
#include "tests/support/capture_reader.hpp"
#include "tests/support/fake_runtime.hpp"
#include "tests/support/pdu_builders.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::pcap {
namespace {

using runtime::Side;

constexpr std::uint16_t kPort = 3261;  // not 3260: the decoder must be told (DESIGN.md pitfalls)
constexpr runtime::ConnectionKey kTsharkKey{{0x7f000001, 45678}, {0x7f000001, kPort}};

struct Step {
  Side sender;
  pdu::Pdu pdu;
  pdu::DigestOptions digests;
  bool one_write = false;  // sent as a single write bigger than the MSS
};

std::vector<Step> login_steps(std::string_view data_digest) {
  using pdu::Stage;
  const test::LoginParams security{};
  const test::LoginParams operational{.csg = Stage::login_operational_negotiation,
                                      .nsg = Stage::full_feature_phase};
  test::LoginParams final_response = operational;
  final_response.tsih = 0x0101;
  return {
      {Side::client,
       test::login_request(security, {.itt = 1, .cmd_sn = 1, .exp_stat_sn = 0},
                           test::key_text({{"InitiatorName", "iqn.2026-01.org.example:host1"},
                                           {"SessionType", "Normal"},
                                           {"TargetName", "iqn.2026-01.org.example:disk1"},
                                           {"AuthMethod", "None"}})),
       {}},
      {Side::server,
       test::login_response(security, {.itt = 1, .stat_sn = 0, .exp_cmd_sn = 1, .max_cmd_sn = 1},
                            pdu::LoginStatus::success,
                            test::key_text({{"TargetPortalGroupTag", "1"}, {"AuthMethod", "None"}})),
       {}},
      {Side::client,
       test::login_request(operational, {.itt = 1, .cmd_sn = 1, .exp_stat_sn = 1},
                           test::key_text({{"HeaderDigest", "CRC32C,None"},
                                           {"DataDigest", data_digest},
                                           {"MaxRecvDataSegmentLength", "262144"}})),
       {}},
      {Side::server,
       test::login_response(final_response,
                            {.itt = 1, .stat_sn = 1, .exp_cmd_sn = 1, .max_cmd_sn = 33},
                            pdu::LoginStatus::success,
                            test::key_text({{"HeaderDigest", "CRC32C"},
                                            {"DataDigest", data_digest},
                                            {"MaxRecvDataSegmentLength", "16777215"}})),
       {}},
  };
}

std::vector<Step> exchange(bool data_digest) {
  std::vector<Step> steps = login_steps(data_digest ? "CRC32C" : "None");
  // Header digests only: tshark 4.0 auto-detects a CRC32C header digest (and verifies it),
  // but no longer handles data digests (its data-digest preferences are obsolete and it
  // reassembles a Data-In without the trailing digest), so a capture with DataDigest=CRC32C
  // misaligns in tshark after the first PDU that carries data.
  const pdu::DigestOptions crc{.header = true, .data = data_digest};
  constexpr std::uint32_t kBlocks = 600;  // 600 * 512 = 300 KiB, over tshark's 256 KiB default
  steps.push_back({Side::client,
                   test::scsi_read10({.itt = 2, .cmd_sn = 1, .exp_stat_sn = 2},
                                     {.lun = 0, .lba = 0, .blocks = kBlocks}),
                   crc});
  steps.push_back({Side::server,
                   test::data_in({.itt = 2}, {.itt = 2, .stat_sn = 2, .exp_cmd_sn = 2},
                                 test::pattern_bytes(kBlocks * 512, 9), std::uint8_t{0}),
                   crc, true});
  steps.push_back({Side::client,
                   test::nop_out_ping({.itt = 3, .cmd_sn = 2, .exp_stat_sn = 3},
                                      test::pattern_bytes(13, 1)),
                   crc});
  steps.push_back({Side::server,
                   test::nop_in_reply({.itt = 3, .stat_sn = 3, .exp_cmd_sn = 3},
                                      test::pattern_bytes(13, 1)),
                   crc});
  steps.push_back({Side::client,
                   test::logout_request({.itt = 4, .cmd_sn = 3, .exp_stat_sn = 4},
                                        pdu::LogoutReason::close_session),
                   crc});
  steps.push_back({Side::server,
                   test::logout_response({.itt = 4, .stat_sn = 4, .exp_cmd_sn = 4},
                                         pdu::LogoutResponseCode::closed_successfully),
                   crc});
  return steps;
}

// Writes the exchange, each PDU split into oddly sized segments (or one oversized write).
void record_exchange(runtime::TransportTrace& trace, const std::vector<Step>& steps) {
  static constexpr std::size_t kCuts[] = {1, 47, 3, 1000, 48, 7777, 2};
  constexpr std::size_t kBhsAndDigest = 52;
  std::int64_t t_us = 100;
  auto at = [&t_us] { return runtime::TimePoint(std::chrono::microseconds(t_us += 37)); };
  trace.on_connected(at(), kTsharkKey);
  std::size_t cut = 0;
  bool seen[2][2] = {};  // [sender][carries a header digest]: a PDU of this kind seen
  for (const Step& step : steps) {
    const Bytes bytes = pdu::encode(step.pdu, step.digests);
    if (step.one_write) {
      trace.on_segment(at(), kTsharkKey, step.sender, bytes);
      continue;
    }
    // tshark 4.0 takes a connection for iSCSI only when its first segment in a direction
    // starts a whole BHS, and auto-detects the header digest from the first PDU that has one,
    // only when the BHS and digest arrive together; those PDUs keep their first 52 bytes in
    // one segment. Everything else is cut at odd sizes.
    bool& first_of_kind = seen[step.sender == Side::client][step.digests.header];
    const bool keep_head = !first_of_kind;
    first_of_kind = true;
    for (std::size_t offset = 0; offset < bytes.size();) {
      const std::size_t wanted =
          offset == 0 && keep_head ? kBhsAndDigest : kCuts[cut++ % std::size(kCuts)];
      const std::size_t n = std::min(wanted, bytes.size() - offset);
      trace.on_segment(at(), kTsharkKey, step.sender, ByteView(bytes).subspan(offset, n));
      offset += n;
    }
  }
  trace.on_fin(at(), kTsharkKey, Side::client);
  trace.on_fin(at(), kTsharkKey, Side::server);
}

test::CommandResult run_tshark(const std::string& path, std::vector<std::string> extra) {
  std::vector<std::string> argv{"tshark", "-n", "-r", path,
                                "-o", fmt::format("iscsi.target_ports:{}", kPort),
                                "-o", "iscsi.bogus_pdu_max_data_len:16777215",
                                "-o", "ip.check_checksum:TRUE",
                                "-o", "tcp.check_checksum:TRUE"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  test::CommandOptions options;
  options.timeout = std::chrono::seconds(120);
  return test::run_command(argv, options);
}

// Expert severities: 0x600000 is warning, 0x800000 error. tcp.analysis.flags covers the TCP
// sequence analysis (retransmission, lost or unseen segments, window problems).
constexpr const char* kWarningsAndErrors =
    "_ws.malformed || _ws.expert.severity >= 0x600000 || tcp.analysis.flags";
constexpr const char* kErrors = "_ws.malformed || _ws.expert.severity >= 0x800000";

test::CommandResult frames_with_problems(const std::string& path, const char* filter) {
  return run_tshark(path, {"-Y", filter, "-T", "fields", "-e", "frame.number", "-e",
                           "_ws.expert.message"});
}

std::vector<std::string> nonempty_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string flat = text;
  std::replace(flat.begin(), flat.end(), ',', '\n');  // several PDUs in one frame
  std::istringstream in(flat);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

class TsharkValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::program_available("tshark")) GTEST_SKIP() << "tshark not installed";
  }
};

TEST_F(TsharkValidation, DecodesEveryPduInOrderWithoutErrors) {
  const auto steps = exchange(false);
  test::FakeClock clock;
  const std::string path = test::temp_capture_path("iscsi-exchange.pcap");
  auto recorder = PcapRecorder::open_file(path, clock);
  ASSERT_TRUE(recorder.ok());
  record_exchange(**recorder, steps);
  ASSERT_TRUE((*recorder)->finish().ok());

  const auto problems = frames_with_problems(path, kWarningsAndErrors);
  ASSERT_EQ(problems.exit_code, 0) << problems.err;
  EXPECT_EQ(problems.out, "") << "frames tshark finds malformed, in error or suspicious";

  const auto decoded = run_tshark(path, {"-Y", "iscsi", "-T", "fields", "-e", "iscsi.opcode"});
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  std::vector<std::string> expected;
  for (const Step& step : steps) {
    expected.push_back(fmt::format("0x{:02x}", static_cast<unsigned>(pdu::opcode(step.pdu))));
  }
  EXPECT_EQ(nonempty_lines(decoded.out), expected);
}

TEST_F(TsharkValidation, ResetsRefusalsAndSeveralConnectionsHaveNoErrors) {
  test::FakeClock clock;
  const std::string path = test::temp_capture_path("connections.pcap");
  auto recorder = PcapRecorder::open_file(path, clock, {.mss = 9000, .max_connections = 16});
  ASSERT_TRUE(recorder.ok());
  PcapRecorder& r = **recorder;
  const runtime::ConnectionKey second{{0x7f000002, 45679}, {0x7f000001, kPort}};
  const runtime::ConnectionKey refused{{0x7f000002, 45680}, {0x7f000001, kPort + 1}};
  auto at = [](std::int64_t us) { return runtime::TimePoint(std::chrono::microseconds(us)); };
  r.on_connected(at(1), kTsharkKey);
  r.on_connected(at(2), second);
  r.on_segment(at(3), second, Side::client, test::pattern_bytes(100'000, 1));
  r.on_segment(at(4), kTsharkKey, Side::server, test::pattern_bytes(20'000, 2));
  r.on_refused(at(5), refused);
  r.on_reset(at(6), second, Side::server);
  r.on_fin(at(7), kTsharkKey, Side::server);
  r.on_segment(at(8), kTsharkKey, Side::client, test::pattern_bytes(33, 3));
  r.on_fin(at(9), kTsharkKey, Side::client);
  ASSERT_TRUE(r.finish().ok());
  // Resets are expert warnings by design; nothing may be malformed or an error.
  const auto problems = frames_with_problems(path, kErrors);
  ASSERT_EQ(problems.exit_code, 0) << problems.err;
  EXPECT_EQ(problems.out, "");
  const auto analysis = run_tshark(path, {"-Y", "tcp.analysis.flags && !tcp.analysis.window_update",
                                          "-T", "fields", "-e", "frame.number"});
  ASSERT_EQ(analysis.exit_code, 0) << analysis.err;
  EXPECT_EQ(analysis.out, "") << "TCP sequence analysis complaints";
  const auto resets = run_tshark(path, {"-Y", "tcp.flags.reset == 1", "-T", "fields", "-e",
                                        "tcp.srcport"});
  EXPECT_EQ(nonempty_lines(resets.out), (std::vector<std::string>{"3262", "3261"}));
}

// A control: the same check must notice damage, so the tests above can fail.
TEST_F(TsharkValidation, NoticesACorruptedFrame) {
  test::FakeClock clock;
  auto recorder = PcapRecorder::open_memory(clock);
  ASSERT_TRUE(recorder.ok());
  (*recorder)->on_connected(runtime::TimePoint{}, kTsharkKey);
  (*recorder)->on_segment(runtime::TimePoint{}, kTsharkKey, Side::client, test::pattern_bytes(500));
  auto bytes = (*recorder)->finish();
  ASSERT_TRUE(bytes.ok());
  bytes->back() ^= 0x40;  // last payload byte of the data frame: the TCP checksum breaks
  const std::string path = test::temp_capture_path("corrupt.pcap");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes->data()),
              static_cast<std::streamsize>(bytes->size()));
  }
  const auto problems = frames_with_problems(path, kErrors);
  ASSERT_EQ(problems.exit_code, 0) << problems.err;
  EXPECT_EQ(nonempty_lines(problems.out).size(), 1u) << problems.out;
  EXPECT_EQ(problems.out.substr(0, 2), "4\t");
}

// With both digests on (which tshark 4.0 cannot follow, see exchange()), the capture still
// carries every PDU byte for byte: our own reader reassembles both directions and each
// PDU decodes with its digests verified.
TEST(IscsiCapture, DataDigestExchangeReassemblesExactly) {
  const auto steps = exchange(true);
  test::FakeClock clock;
  const std::string path = test::temp_capture_path("iscsi-digests.pcap");
  auto recorder = PcapRecorder::open_file(path, clock);
  ASSERT_TRUE(recorder.ok());
  record_exchange(**recorder, steps);
  ASSERT_TRUE((*recorder)->finish().ok());
  Bytes client_bytes;
  Bytes server_bytes;
  for (const Step& step : steps) {
    pdu::encode_to(step.pdu, step.digests, step.sender == Side::client ? client_bytes
                                                                        : server_bytes);
  }
  auto segments = test::read_tcp_segments(path);
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();
  const auto streams = test::split_directions(*segments);
  ASSERT_EQ(streams.size(), 2u);
  for (const auto& stream : streams) {
    const bool from_client = stream.source == kTsharkKey.initiator;
    EXPECT_EQ(stream.bytes, from_client ? client_bytes : server_bytes);
  }
  // Walk the initiator's stream PDU by PDU with the digests each one was sent with.
  ByteView rest = client_bytes;
  for (const Step& step : steps) {
    if (step.sender != Side::client) continue;
    const std::size_t length = pdu::pdu_wire_length(rest, step.digests);
    ASSERT_GT(length, 0u);
    auto decoded = pdu::decode(rest.first(length), step.digests);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    EXPECT_EQ(pdu::opcode(decoded->pdu), pdu::opcode(step.pdu));
    rest = rest.subspan(length);
  }
  EXPECT_TRUE(rest.empty());
}

}  // namespace
}  // namespace iscsi::pcap
