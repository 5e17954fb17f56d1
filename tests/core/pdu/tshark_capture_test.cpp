// Real bytes as the reference (issue 2): every PDU of the tgtd <-> libiscsi capture in
// ../shared/testdata decodes to the field values tshark prints for it. The tshark output is
// committed (testdata/tgtd-libiscsi-session.tshark.tsv, from scripts/tshark-fields.sh) and, when
// tshark is installed, regenerated live and compared with the committed copy.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "core/pdu/framer.hpp"
#include "tests/core/pdu/tshark_view.hpp"
#include "tests/support/capture_reader.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::pdu::testing {
namespace {

const std::string kCapture = ISCSI_SHARED_DIR "/testdata/tgtd-libiscsi-session.pcap";
const std::string kGolden =
    ISCSI_SOURCE_DIR "/tests/core/pdu/testdata/tgtd-libiscsi-session.tshark.tsv";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Frames each direction of each connection as TCP delivered it, one chunk per frame, and
// attributes every PDU to the frame whose bytes completed it (as tshark does).
std::map<unsigned, std::vector<TsharkFields>> decode_capture_by_frame() {
  std::map<unsigned, std::vector<TsharkFields>> by_frame;
  auto segments = test::read_tcp_segments(kCapture);
  EXPECT_TRUE(segments.ok()) << segments.error().to_string();
  if (!segments) return by_frame;
  for (const test::DirectionalStream& stream : test::split_directions(*segments)) {
    Framer framer(FramerOptions{.max_data_segment_length = kMaxDataSegmentLength});
    std::size_t start = 0;
    for (const auto& [frame, end] : stream.frame_ends) {
      framer.feed(ByteView(stream.bytes).subspan(start, end - start));
      start = end;
      for (FrameEvent event = framer.next(); !std::holds_alternative<NeedMore>(event);
           event = framer.next()) {
        const auto* decoded = std::get_if<DecodedPdu>(&event);
        if (decoded == nullptr) {
          ADD_FAILURE() << "frame " << frame << ": " << std::get<FrameError>(event).violation.to_string();
          break;
        }
        by_frame[frame].push_back(tshark_view(decoded->pdu));
      }
    }
  }
  return by_frame;
}

TEST(TsharkCapture, CommittedFieldsAreWhatTsharkPrints) {
  if (!test::program_available("tshark")) GTEST_SKIP() << "tshark is not installed";
  const test::CommandResult live = test::run_command(
      {"bash", ISCSI_SOURCE_DIR "/scripts/tshark-fields.sh", kCapture});
  ASSERT_EQ(live.exit_code, 0) << live.err;
  EXPECT_EQ(live.out, read_file(kGolden))
      << "tshark's output differs from the committed file; regenerate it with "
         "scripts/tshark-fields.sh if tshark changed";
}

TEST(TsharkCapture, DecoderReproducesEveryFieldTsharkShows) {
  const std::vector<TsharkRow> rows = parse_tshark_tsv(read_file(kGolden));
  ASSERT_EQ(rows.size(), 292u) << "the capture holds 292 iSCSI PDUs";
  const auto decoded = decode_capture_by_frame();
  std::size_t compared = 0;
  for (const TsharkRow& row : rows) {
    const auto found = decoded.find(row.frame_number);
    ASSERT_NE(found, decoded.end()) << "no PDU decoded in frame " << row.frame_number;
    ASSERT_EQ(found->second.size(), 1u) << "frame " << row.frame_number;
    const TsharkFields& ours = found->second.front();
    for (const auto& [field, value] : row.fields) {
      if (field.rfind("frame.", 0) == 0 || field.rfind("tcp.", 0) == 0) continue;
      if (is_context_field(field, row.fields)) continue;  // not from this PDU's bytes
      const auto mine = ours.find(field);
      if (mine == ours.end()) {
        ADD_FAILURE() << "frame " << row.frame_number << ": iscsim has no value for " << field
                      << " (tshark: " << value << ")";
        continue;
      }
      EXPECT_EQ(mine->second, value) << "frame " << row.frame_number << " field " << field;
      ++compared;
    }
  }
  EXPECT_EQ(decoded.size(), rows.size()) << "iscsim decoded PDUs in frames tshark did not";
  // Every PDU carries at least opcode, ITT, lengths and its sequence numbers.
  EXPECT_GT(compared, rows.size() * 6);
}

}  // namespace
}  // namespace iscsi::pdu::testing
