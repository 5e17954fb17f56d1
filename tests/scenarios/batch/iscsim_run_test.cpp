// `iscsim run` end to end through the built executable: exit codes 0/1/2, the files under
// --out, progress lines, usage errors, and a failing scenario whose printed reproduce command
// reproduces the same failure.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "scenarios/batch/builtin_suite.hpp"
#include "tests/scenarios/batch/batch_test_support.hpp"
#include "tests/support/run_command.hpp"

namespace iscsi::scenarios::batch {
namespace {

using iscsi::test::CommandResult;
using testing::slurp;
using testing::TempDir;

CommandResult iscsim_run(std::vector<std::string> args) {
  args.insert(args.begin(), {ISCSIM_BINARY, "run"});
  iscsi::test::CommandOptions options;
  options.timeout = std::chrono::minutes(5);
  return iscsi::test::run_command(args, options);
}

// The example with one expectation made wrong: the refused login expects 0x0202.
std::string failing_scenario() {
  std::string text = slurp(testing::example_file());
  const std::string from = "login_status: 0x0201";
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) text.replace(at, from.size(), "login_status: 0x0202");
  const std::string name = "name: chap-one-way";
  text.replace(text.find(name), name.size(), "name: chap-wrong-status");
  return text;
}

// The words of the first stdout line that starts (after blanks) with "reproduce: ".
std::vector<std::string> reproduce_words(const std::string& out) {
  const std::string marker = "reproduce: ";
  const std::size_t at = out.find(marker);
  if (at == std::string::npos) return {};
  const std::size_t end = out.find('\n', at);
  std::istringstream line(out.substr(at + marker.size(), end - at - marker.size()));
  std::vector<std::string> words;
  for (std::string word; line >> word;) words.push_back(word);
  return words;
}

TEST(IscsimRun, PassingScenarioExitsZeroAndWritesEveryFile) {
  TempDir out("cli-pass");
  const CommandResult r = iscsim_run({testing::example_file(), "--out", out.path().string()});
  ASSERT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  EXPECT_NE(r.err.find("[1/1] chap-one-way seed 1 rfc PASS\n"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("chap-one-way"), std::string::npos) << r.out;
  for (const char* name : {"junit.xml", "report.json", "report.html", "timings.json",
                           "pcap/chap-one-way-seed1-rfc.pcap"}) {
    EXPECT_FALSE(slurp(out.path() / name).empty()) << name;
  }
  EXPECT_NE(slurp(out.path() / "report.json").find(testing::example_file()), std::string::npos);
}

TEST(IscsimRun, QuietDropsTheProgressLines) {
  TempDir out("cli-quiet");
  const CommandResult r = iscsim_run({testing::example_file(), "--quiet", "--seeds", "2..3",
                                      "--out", out.path().string(), "--jobs", "2"});
  ASSERT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  EXPECT_EQ(r.err.find("PASS"), std::string::npos) << r.err;
  EXPECT_EQ(
      testing::pcap_names(out.path()),
      (std::vector<std::string>{"chap-one-way-seed2-rfc.pcap", "chap-one-way-seed3-rfc.pcap"}));
}

TEST(IscsimRun, FailureExitsOneAndItsReproduceCommandReproducesIt) {
  TempDir dir("cli-fail");
  const std::string file = dir / "wrong.yaml";
  testing::write_text(file, failing_scenario());
  const CommandResult r =
      iscsim_run({file, "--seed", "5", "--profile", "rfc", "--out", dir / "out"});
  ASSERT_EQ(r.exit_code, 1) << iscsi::test::describe(r);
  EXPECT_NE(r.err.find("chap-wrong-status seed 5 rfc FAIL"), std::string::npos) << r.err;
  const std::string failure = "expected login_status 0x0202, got 0x0201";
  EXPECT_NE(r.out.find(failure), std::string::npos) << r.out;
  const std::vector<std::string> words = reproduce_words(r.out);
  ASSERT_EQ(words,
            (std::vector<std::string>{"iscsim", "run", file, "--seed", "5", "--profile", "rfc"}))
      << r.out;
  // The printed command, run as printed (with only its output folder added).
  std::vector<std::string> again(words.begin() + 2, words.end());
  again.insert(again.end(), {"--out", dir / "again"});
  const CommandResult second = iscsim_run(again);
  EXPECT_EQ(second.exit_code, 1) << iscsi::test::describe(second);
  EXPECT_NE(second.out.find(failure), std::string::npos) << second.out;
  EXPECT_EQ(slurp(dir.path() / "out" / "report.json"), slurp(dir.path() / "again" / "report.json"));
  EXPECT_EQ(slurp(dir.path() / "out" / "pcap" / "chap-wrong-status-seed5-rfc.pcap"),
            slurp(dir.path() / "again" / "pcap" / "chap-wrong-status-seed5-rfc.pcap"));
}

TEST(IscsimRun, PcapOptionKeepsFailedRunsOnlyOrNone) {
  TempDir dir("cli-pcap");
  const std::string wrong = dir / "wrong.yaml";
  testing::write_text(wrong, failing_scenario());
  const CommandResult failed = iscsim_run(
      {testing::example_file(), wrong, "--pcap", "failed", "-q", "--out", dir / "failed"});
  ASSERT_EQ(failed.exit_code, 1) << iscsi::test::describe(failed);
  EXPECT_EQ(testing::pcap_names(dir.path() / "failed"),
            std::vector<std::string>{"chap-wrong-status-seed1-rfc.pcap"});
  const std::string report = slurp(dir.path() / "failed" / "report.json");
  EXPECT_NE(report.find("pcap/chap-wrong-status-seed1-rfc.pcap"), std::string::npos);
  EXPECT_EQ(report.find("pcap/chap-one-way-seed1-rfc.pcap"), std::string::npos);

  const CommandResult none =
      iscsim_run({testing::example_file(), "--pcap", "none", "-q", "--out", dir / "none"});
  ASSERT_EQ(none.exit_code, 0) << iscsi::test::describe(none);
  EXPECT_TRUE(testing::pcap_names(dir.path() / "none").empty());
  EXPECT_EQ(slurp(dir.path() / "none" / "report.json").find("pcap/"), std::string::npos);
}

TEST(IscsimRun, LoadErrorExitsTwoWithFileLineColumnBeforeAnythingRuns) {
  TempDir dir("cli-load");
  const std::string bad = dir / "bad.yaml";
  testing::write_text(bad,
                      "name: x\nhosts:\n  t: {ip: 10.0.0.1}\n  c: {ip: 10.0.0.2}\n"
                      "target: {host: t}\nsteps:\n  - wait: 1ms\n    expct: {}\n");
  const CommandResult r = iscsim_run({testing::example_file(), bad, "--out", dir / "out"});
  EXPECT_EQ(r.exit_code, 2) << iscsi::test::describe(r);
  EXPECT_TRUE(r.err.starts_with(bad + ":8:5: unknown key 'expct'")) << r.err;
  EXPECT_EQ(r.err.find("PASS"), std::string::npos) << "nothing may run: " << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(IscsimRun, UsageErrorsExitTwoWithASentence) {
  TempDir dir("cli-usage");
  const std::string out = dir / "out";
  const std::string file = testing::example_file();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{file, "--shard", "3/2"}, "iscsim run: --shard 3/2: K must be between 1 and N\n"},
      {{file, "--seeds", "9..2"}, "iscsim run: --seeds 9..2: A must not be greater than B\n"},
      {{file, "--seed", "1", "--seeds", "1..2"},
       "iscsim run: --seed and --seeds exclude each other: give one seed or one range\n"},
      {{file, "--profile", "lio"}, "iscsim run: --profile lio: expected rfc or tgt\n"},
      {{file, "--pcap", "some"}, "iscsim run: --pcap some: expected all, failed or none\n"},
      {{file, "--jobs", "many"},
       "iscsim run: --jobs many: expected a number from 0 (one per hardware thread) to 256\n"},
      {{dir / "missing.yaml"},
       "iscsim run: " + dir / "missing.yaml" + ": no such file or folder\n"},
      {{file, "--no-such-option"},
       "iscsim run: unknown option --no-such-option (see iscsim run --help)\n"},
  };
  for (const auto& [args, message] : cases) {
    std::vector<std::string> with_out = args;
    with_out.insert(with_out.end(), {"--out", out});
    const CommandResult r = iscsim_run(with_out);
    EXPECT_EQ(r.exit_code, 2) << fmt::format("{}", fmt::join(args, " "));
    EXPECT_EQ(r.err, message);
  }
  EXPECT_FALSE(std::filesystem::exists(out));
}

// Syntax errors caught by the option parser itself exit 2 too, not with CLI11's own codes.
TEST(IscsimRun, MissingOptionValueExitsTwo) {
  TempDir dir("cli-syntax");
  const CommandResult r = iscsim_run({testing::example_file(), "--out", dir / "out", "--seed"});
  EXPECT_EQ(r.exit_code, 2) << iscsi::test::describe(r);
  EXPECT_NE(r.err.find("--seed"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST(IscsimRun, HelpExplainsEveryOptionWithExamples) {
  const CommandResult r = iscsim_run({"--help"});
  ASSERT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  for (const char* text :
       {"--seed", "--seeds", "--profile", "--out", "--shard", "--jobs", "--quiet", "--list",
        "--pcap", "iscsim run --list", "--seeds 1..1000", "iscsim report merge", "builtin:"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

TEST(IscsimRun, ListShowsTheBuiltInSuite) {
  const CommandResult r = iscsim_run({"--list"});
  ASSERT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  for (const BuiltinFile& file : builtin_files()) {
    EXPECT_NE(r.out.find("builtin:" + std::string(file.name) + "  "), std::string::npos)
        << file.name;
  }
  EXPECT_EQ(r.out.find("does not load"), std::string::npos) << r.out;
}

TEST(IscsimRun, ShardWithNoRunStillWritesReports) {
  TempDir out("cli-empty-shard");
  const CommandResult r =
      iscsim_run({testing::example_file(), "--shard", "2/2", "--out", out.path().string()});
  EXPECT_EQ(r.exit_code, 0) << iscsi::test::describe(r);
  EXPECT_NE(r.err.find("holds no run"), std::string::npos) << r.err;
  EXPECT_FALSE(slurp(out.path() / "report.json").empty());
}

}  // namespace
}  // namespace iscsi::scenarios::batch
