// Replays golden/commands.txt and compares with golden/transcript.txt, which
// golden/record_transcript.sh recorded from a real tgtd/tgtadm 1.0.85: stdout, stderr and the
// exit status of every command must be identical.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/target-impl/config/fake_host.hpp"

namespace iscsi::target::config {
namespace {

struct Entry {
  std::string command;
  Reply reply;
};

std::vector<Entry> read_transcript(const std::string& path) {
  std::ifstream in(path);
  std::vector<Entry> entries;
  std::string line;
  std::string* section = nullptr;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) {
      entries.push_back(Entry{line.substr(4), {}});
      section = nullptr;
    } else if (line.rfind("exit ", 0) == 0 && section == nullptr) {
      entries.back().reply.exit_code = std::stoi(line.substr(5));
    } else if (line == "--- stdout") {
      section = &entries.back().reply.out;
    } else if (line == "--- stderr") {
      section = &entries.back().reply.err;
    } else if (line == "--- end") {
      section = nullptr;
    } else if (section != nullptr) {
      *section += line + "\n";
    }
  }
  return entries;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

TEST(TgtadmTranscript, EveryCommandPrintsAndExitsAsTgt1085) {
  auto entries = read_transcript(std::string(ISCSI_SOURCE_DIR) +
                                 "/tests/target-impl/config/golden/transcript.txt");
  ASSERT_GT(entries.size(), 100U);
  testing::FakeHost host;
  host.files["/golden/disk64.img"] = 64ULL << 20;
  SystemConfig config;
  for (const Entry& entry : entries) {
    std::string line = replace_all(entry.command, "@DIR@", "/golden");
    Execution run = testing::run_line(line, config, host);
    Reply expected = entry.reply;
    expected.out = replace_all(expected.out, "@DIR@", "/golden");
    EXPECT_EQ(run.reply.out, expected.out) << "tgtadm " << entry.command;
    EXPECT_EQ(run.reply.err, expected.err) << "tgtadm " << entry.command;
    EXPECT_EQ(run.reply.exit_code, expected.exit_code) << "tgtadm " << entry.command;
  }
  EXPECT_TRUE(config.targets.empty());
}

}  // namespace
}  // namespace iscsi::target::config
