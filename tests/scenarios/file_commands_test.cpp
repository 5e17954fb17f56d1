// truncate and dd lines that size a backing-store file (scenarios/file_commands.hpp): the
// parser's sizes and refusals, the loader's positions, and the runner using the size for the
// LUN a later tgtadm line puts on the path, in the target block and in `run:` steps.
#include "scenarios/file_commands.hpp"

#include <gtest/gtest.h>

#include "scenarios/loader.hpp"
#include "scenarios/runner.hpp"
#include "tests/scenarios/runner_support.hpp"

namespace iscsi::scenarios {
namespace {

FileCommandParse parse_words(std::vector<std::string> words) { return parse_file_command(words); }

std::uint64_t size_of(std::vector<std::string> words) {
  FileCommandParse parsed = parse_words(std::move(words));
  EXPECT_TRUE(parsed.command.has_value()) << parsed.error;
  return parsed.command ? parsed.command->bytes : 0;
}

TEST(FileCommands, TruncateSizesFollowCoreutils) {
  EXPECT_EQ(size_of({"truncate", "-s", "1G", "/home/disk1.img"}), 1ULL << 30);
  EXPECT_EQ(size_of({"truncate", "-s64M", "/a"}), 64ULL << 20);
  EXPECT_EQ(size_of({"truncate", "--size=10GB", "/a"}), 10'000'000'000ULL);
  EXPECT_EQ(size_of({"truncate", "--size", "4KiB", "-c", "/a"}), 4096U);
  EXPECT_EQ(size_of({"truncate", "-s", "1048576", "/a"}), 1048576U);
  FileCommandParse parsed = parse_words({"truncate", "-s", "1G", "/home/disk1.img"});
  ASSERT_TRUE(parsed.command);
  EXPECT_EQ(parsed.command->path, "/home/disk1.img");
}

TEST(FileCommands, DdSizeIsSeekPlusCountTimesTheBlockSize) {
  EXPECT_EQ(size_of({"dd", "if=/dev/zero", "of=/home/disk1.img", "bs=1M", "count=1024"}),
            1ULL << 30);
  // The sparse-file idiom: nothing written, the size from seek.
  EXPECT_EQ(size_of({"dd", "if=/dev/zero", "of=/a", "bs=1", "count=0", "seek=10G"}), 10ULL << 30);
  EXPECT_EQ(size_of({"dd", "of=/a", "count=4"}), 2048U);  // 512-byte blocks by default
  EXPECT_EQ(size_of({"dd", "if=/dev/zero", "of=/a", "ibs=4K", "obs=1M", "count=2", "seek=1",
                     "status=none"}),
            (1ULL << 20) + 8192);
  EXPECT_EQ(size_of({"dd", "if=/dev/zero", "of=/a", "bs=1kB", "count=3"}), 3000U);
}

TEST(FileCommands, RefusalsSayWhatWasExpected) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"truncate", "/a"}, "truncate: expected -s SIZE, e.g. truncate -s 1G /home/disk1.img"},
      {{"truncate", "-s", "+1G", "/a"},
       "truncate: '+1G' is not a size such as 64M, 1G or 10GB (relative sizes are not "
       "supported)"},
      {{"truncate", "-s", "1G"}, "truncate: expected exactly one file"},
      {{"truncate", "-o", "-s", "1", "/a"},
       "truncate: option '-o' is not supported (only -s SIZE)"},
      {{"dd", "if=/dev/urandom", "of=/a", "count=1"}, "dd: only if=/dev/zero is supported"},
      {{"dd", "if=/dev/zero", "of=/a"},
       "dd: expected count=N (without it dd copies /dev/zero forever)"},
      {{"dd", "if=/dev/zero", "count=1"}, "dd: expected of=FILE"},
      {{"dd", "of=/a", "count=1", "skip=2"}, "dd: operand 'skip=' is not supported"},
      {{"dd", "of=/a", "count=many"}, "dd: 'many' is not a number such as 1024, 1M or 4K"},
      {{"dd", "of=/a", "bs=1P", "count=2048"}, "dd: the file would be larger than 1 PiB"},
      {{"dd", "/a"}, "dd: expected KEY=VALUE, got '/a'"},
  };
  for (const auto& [words, message] : cases) {
    FileCommandParse parsed = parse_words(words);
    EXPECT_FALSE(parsed.command.has_value()) << message;
    EXPECT_EQ(parsed.error, message);
  }
}

// The tutorial's order: the file first, then the LUN on it; one more LUN from a step.
constexpr std::string_view kFileBacked = R"yaml(name: file-backed
hosts:
  target: {ip: 10.0.0.2}
  client: {ip: 10.0.0.3}
target:
  host: target
  tgtadm: |
    dd if=/dev/zero of=/home/disk1.img bs=1M count=16
    tgtadm --lld iscsi --mode target --op new --tid 1 --targetname iqn.2019-01.com.example:disk
    tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 1 --backing-store /home/disk1.img
    tgtadm --lld iscsi --mode target --op bind --tid 1 --initiator-address ALL
initiator: {host: client, initiatorname: iqn.2019-01.com.example:client}
steps:
  - run: truncate -s 32M /home/disk2.img
    expect: {exit: 0}
  - run: tgtadm --lld iscsi --mode logicalunit --op new --tid 1 --lun 2 --backing-store /home/disk2.img
    expect: {exit: 0}
  - run: tgtadm --lld iscsi --mode target --op show
    expect:
      stdout_contains:
        - "            Size: 17 MB, Block size: 512\n            Online: Yes\n            Removable media: No\n            Prevent removal: No\n            Readonly: No\n            SWP: No\n            Thin-provisioning: No\n            Backing store type: rdwr\n            Backing store path: /home/disk1.img"
        - "            Size: 34 MB, Block size: 512"
  - run: iscsiadm -m discovery -t st -p 10.0.0.2
  - run: iscsiadm -m node -T iqn.2019-01.com.example:disk -p 10.0.0.2 -l
    expect: {exit: 0}
  - io: {lun: 2, block: 1MiB, write: {bytes: all}, verify: {bytes: all}}
    expect: {data_verified: true}
)yaml";

TEST(FileCommands, TheRunnerSizesTheLunsFromTruncateAndDd) {
  const RunResult result = run_scenario(testing::load_inline(kFileBacked));
  EXPECT_TRUE(result.passed) << testing::describe(result);
}

// As real tgtadm answers a backing-store file that does not exist: exit 22, "invalid request".
TEST(FileCommands, ALunOnAFileWithNoSizeIsRefusedAsTgtadmRefusesAMissingFile) {
  std::string text(kFileBacked);
  const std::string_view truncate_step =
      "  - run: truncate -s 32M /home/disk2.img\n    expect: {exit: 0}\n";
  text.erase(text.find(truncate_step), truncate_step.size());
  const RunResult result = run_scenario(testing::load_inline(text));
  ASSERT_FALSE(result.steps.empty()) << testing::describe(result);
  EXPECT_FALSE(result.steps.front().passed);
  EXPECT_EQ(result.steps.front().output.exit_code, 22);
  EXPECT_EQ(result.steps.front().output.err, "tgtadm: invalid request\n")
      << testing::describe(result);
}

TEST(FileCommands, TheLoaderRefusesABadLineAtItsPosition) {
  std::string text(kFileBacked);
  text.replace(text.find("bs=1M count=16"), std::string_view("bs=1M count=16").size(), "bs=1M");
  Result<Scenario> loaded = load_scenario(text, "f.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().detail,
            "f.yaml:8:5: dd: expected count=N (without it dd copies /dev/zero forever)");

  std::string step(kFileBacked);
  step.replace(step.find("truncate -s 32M"), std::string_view("truncate -s 32M").size(),
               "truncate -s 32Q");
  loaded = load_scenario(step, "f.yaml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().detail,
            "f.yaml:14:10: 'run' of step 1: truncate: '32Q' is not a size such as 64M, 1G or "
            "10GB (relative sizes are not supported)");
}

}  // namespace
}  // namespace iscsi::scenarios
