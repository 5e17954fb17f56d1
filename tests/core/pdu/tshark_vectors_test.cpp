// The opcodes the tgtd <-> libiscsi capture lacks (NOP-Out 0x00, SNACK 0x10, NOP-In 0x20,
// Asynchronous Message 0x32, Reject 0x3f) are checked against tshark with hand-written byte
// vectors (testdata/vectors/*.txt, written from the RFC 7143 §11 layouts, not by our encoder):
// text2pcap turns each into a capture, tshark decodes it (committed as *.tshark.tsv, and
// regenerated live when tshark is installed), and iscsim's decoder must show the same values.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/pdu/codec.hpp"
#include "tests/core/pdu/tshark_view.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::pdu::testing {
namespace {

const std::filesystem::path kVectors = ISCSI_SOURCE_DIR "/tests/core/pdu/testdata/vectors";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// text2pcap's hex dump: "OFFSET  hex hex ...", '#' comment lines.
Bytes parse_dump(const std::string& dump) {
  Bytes out;
  std::istringstream lines(dump);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t gap = line.find("  ");
    Bytes row;
    EXPECT_NE(gap, std::string::npos) << line;
    EXPECT_TRUE(parse_hex(line.substr(gap), row)) << line;
    out.insert(out.end(), row.begin(), row.end());
  }
  return out;
}

std::vector<std::filesystem::path> vector_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kVectors)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::filesystem::path golden_of(std::filesystem::path vector) {
  return vector.replace_extension(".tshark.tsv");
}

TEST(TsharkVectors, CoverTheOpcodesTheCaptureLacks) {
  std::set<std::string> opcodes;
  for (const auto& file : vector_files()) {
    const auto rows = parse_tshark_tsv(read_file(golden_of(file)));
    ASSERT_EQ(rows.size(), 1u) << file;
    opcodes.insert(rows[0].fields.at("iscsi.opcode"));
  }
  EXPECT_EQ(opcodes, (std::set<std::string>{"0x00", "0x10", "0x20", "0x32", "0x3f"}));
}

TEST(TsharkVectors, CommittedFieldsAreWhatTsharkPrints) {
  if (!test::program_available("tshark") || !test::program_available("text2pcap")) {
    GTEST_SKIP() << "tshark or text2pcap is not installed";
  }
  for (const auto& file : vector_files()) {
    const test::CommandResult live = test::run_command(
        {"bash", ISCSI_SOURCE_DIR "/scripts/tshark-vector.sh", file.string()});
    ASSERT_EQ(live.exit_code, 0) << file << ": " << live.err;
    EXPECT_EQ(live.out, read_file(golden_of(file))) << file;
  }
}

TEST(TsharkVectors, DecoderReproducesEveryFieldTsharkShows) {
  for (const auto& file : vector_files()) {
    SCOPED_TRACE(file.filename().string());
    const Bytes bytes = parse_dump(read_file(file));
    Result<DecodedPdu> decoded = decode(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    EXPECT_TRUE(decoded->observations.empty()) << decoded->observations.front().to_string();
    const TsharkFields ours = tshark_view(decoded->pdu);
    const auto rows = parse_tshark_tsv(read_file(golden_of(file)));
    ASSERT_EQ(rows.size(), 1u);
    std::size_t compared = 0;
    for (const auto& [field, value] : rows[0].fields) {
      if (field.rfind("frame.", 0) == 0 || field.rfind("tcp.", 0) == 0) continue;
      const auto mine = ours.find(field);
      ASSERT_NE(mine, ours.end()) << "iscsim has no value for " << field << " (tshark: " << value
                                  << ")";
      EXPECT_EQ(mine->second, value) << field;
      ++compared;
    }
    EXPECT_GE(compared, 7u);
  }
}

}  // namespace
}  // namespace iscsi::pdu::testing
