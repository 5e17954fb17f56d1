// The lab-page harness itself: the block conventions, the console matching, and that a page
// which breaks them fails with the page, the line and the output, and leaves nothing running.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>

#include "tests/docs/lab_page.hpp"
#include "tests/docs/lab_script.hpp"
#include "tests/docs/labs_test_support.hpp"

namespace iscsi::labs {
namespace {

constexpr const char* kFence = "```";

std::string fence(const std::string& info) { return std::string(kFence) + info + "\n"; }
std::string close_fence() { return std::string(kFence) + "\n"; }

std::string joined(const std::vector<std::string>& failures) {
  std::string text;
  for (const std::string& failure : failures) text += failure + "\n";
  return text;
}

TEST(LabPageParse, ReadsRunBlocksExitCodesAndConsoleLines) {
  const std::string page = "# Lab\n\n" + fence("sh") + "echo one\n" + close_fence() + "\n" +
                           fence("console") + "one\n\n" + close_fence() + "Prose.\n" +
                           fence("sh exit=24") + "false\n" + close_fence() +
                           fence("sh-norun") + "iscsim run x\n" + close_fence() +
                           fence("text") + "not checked\n" + close_fence();
  const ParsedPage parsed = parse_lab_page(page, "p.md");
  ASSERT_TRUE(parsed.errors.empty()) << joined(parsed.errors);
  ASSERT_EQ(parsed.page.blocks.size(), 2U);
  EXPECT_EQ(parsed.page.blocks[0].line, 3);
  EXPECT_EQ(parsed.page.blocks[0].text, "echo one\n");
  EXPECT_EQ(parsed.page.blocks[0].expected_lines, std::vector<std::string>{"one"});
  EXPECT_EQ(parsed.page.blocks[0].console_line, 7);
  EXPECT_EQ(parsed.page.blocks[1].line, 12);
  EXPECT_EQ(parsed.page.blocks[1].expected_exit, 24);
  EXPECT_TRUE(parsed.page.blocks[1].expected_lines.empty());
  EXPECT_EQ(parsed.page.skipped_blocks, 1);
}

TEST(LabPageParse, RefusesWhatWouldSilentlyNotBeChecked) {
  const auto errors_of = [](const std::string& page) {
    return joined(parse_lab_page(page, "p.md").errors);
  };
  EXPECT_NE(errors_of(fence("bash") + "ls\n" + close_fence()).find("p.md:1: ```bash"),
            std::string::npos);
  EXPECT_NE(errors_of(fence("sh exit=300") + "ls\n" + close_fence()).find("exit=300"),
            std::string::npos);
  EXPECT_NE(errors_of(fence("sh timeout=5") + "ls\n" + close_fence()).find("timeout=5"),
            std::string::npos);
  EXPECT_NE(errors_of(fence("console") + "x\n" + close_fence()).find("p.md:1: a ```console"),
            std::string::npos);
  EXPECT_NE(errors_of(fence("sh") + "ls\n" + close_fence() + "Prose between.\n" +
                      fence("console") + "x\n" + close_fence())
                .find("p.md:5: a ```console"),
            std::string::npos);
  EXPECT_NE(errors_of(fence("sh-norun") + "ls\n" + close_fence() + fence("console") + "x\n" +
                      close_fence())
                .find("p.md:4: a ```console"),
            std::string::npos);
  EXPECT_NE(errors_of("\n" + fence("sh") + "ls\n").find("p.md:2: the block opened here is never"),
            std::string::npos);
}

TEST(LabConsoleLines, MatchWholeLinesWithEllipsisAsAnyText) {
  EXPECT_TRUE(console_line_matches("Login to [x] successful.", "Login to [x] successful.  "));
  EXPECT_FALSE(console_line_matches("Login to [x]", "Login to [x] successful."));
  EXPECT_FALSE(console_line_matches("successful.", "Login to [x] successful."));
  EXPECT_TRUE(console_line_matches("Login to ... successful.", "Login to [x] successful."));
  EXPECT_TRUE(console_line_matches("...Status=0x0201...", "PDU < Login Status=0x0201 DSL=0"));
  EXPECT_FALSE(console_line_matches("...Status=0x0202...", "PDU < Login Status=0x0201 DSL=0"));
  EXPECT_TRUE(console_line_matches("a...b...c", "a-b-c"));
  EXPECT_FALSE(console_line_matches("ab...bc", "abc"));  // the pieces may not overlap
  EXPECT_FALSE(console_line_matches("a...b...c", "a-c-b"));
  const std::vector<std::string> output{"x", "one", "two", "one"};
  EXPECT_EQ(find_console_line("one", output, 0), 1U);
  EXPECT_EQ(find_console_line("one", output, 2), 3U);
  EXPECT_FALSE(find_console_line("two", output, 3).has_value());
}

TEST(LabDriverStatus, ReadsWhatTheExitTrapWrites) {
  const auto done = parse_driver_status("done 0 0\n");
  ASSERT_TRUE(done.has_value());
  EXPECT_TRUE(done->done);
  const auto failed = parse_driver_status("42 24 17\n");
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->block_line, 42);
  EXPECT_EQ(failed->exit_code, 24);
  EXPECT_EQ(failed->error_driver_line, 17);
  EXPECT_FALSE(parse_driver_status("start 1 0\n").has_value());
  EXPECT_FALSE(parse_driver_status("").has_value());
}

LabRunOptions quick_options() {
  LabRunOptions options = default_run_options();
  options.timeout = std::chrono::seconds(20);
  options.leftover_grace = std::chrono::seconds(1);
  return options;
}

TEST(LabRun, StateCarriesOverBlocksAndVariablesExpandInConsoleLines) {
  const std::string page = fence("sh") + "mkdir sub && cd sub\nanswer=42\n" + close_fence() +
                           fence("sh exit=3") + "echo \"in $(basename \"$PWD\") $answer\"\n"
                           "echo port=$ISCSIM_PORT ctl=$ISCSIM_CTL\n(exit 3)\n" +
                           close_fence() + fence("console") + "in sub 42\n"
                           "port=${ISCSIM_PORT} ctl=${ISCSIM_CTL}\n" + close_fence() +
                           fence("sh") + "command -v iscsim\n" + close_fence() +
                           fence("console") + "...iscsim\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "state.md", quick_options());
  EXPECT_TRUE(result.failures.empty()) << joined(result.failures);
  EXPECT_EQ(result.blocks_run, 3);
}

TEST(LabRun, AWrongExpectedExitCodeFailsWithPageLineAndOutput) {
  const std::string page = "# x\n" + fence("sh") + "echo fine\n" + close_fence() +
                           fence("sh exit=24") + "echo 'iscsiadm: the output'\n(exit 19)\n" +
                           close_fence() + fence("sh") + "echo never\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "broken.md", quick_options());
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("broken.md:5: the ```sh block exited 19, expected 24"),
            std::string::npos)
      << result.failures[0];
  EXPECT_NE(result.failures[0].find("iscsiadm: the output"), std::string::npos);
  EXPECT_EQ(result.blocks_run, 1);
}

TEST(LabRun, AFailingCommandInAPlainBlockNamesItsLine) {
  const std::string page = fence("sh") + "echo before\nfalse\necho after\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "set-e.md", quick_options());
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("set-e.md:1: the ```sh block exited 1, expected 0 (the "
                                    "command at line 3: `false`)"),
            std::string::npos)
      << result.failures[0];
  EXPECT_NE(result.failures[0].find("before"), std::string::npos);
  EXPECT_EQ(result.failures[0].find("after"), std::string::npos);
}

TEST(LabRun, AnExpectedNonZeroExitThatSucceedsFails) {
  const std::string page = fence("sh exit=24") + "true\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "zero.md", quick_options());
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("zero.md:1: the ```sh block exited 0, expected 24"),
            std::string::npos);
}

TEST(LabRun, AConsoleLineMissingFromTheOutputFails) {
  const std::string page = fence("sh") + "echo alpha\necho beta\n" + close_fence() + "\n" +
                           fence("console") + "beta\nalpha\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "console.md", quick_options());
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("console.md:8: line 2 of the ```console block, `alpha`"),
            std::string::npos)
      << result.failures[0];
  EXPECT_NE(result.failures[0].find("block at line 1"), std::string::npos);
}

bool pid_alive(const std::string& pid_text) {
  const int pid = std::atoi(pid_text.c_str());
  return pid > 1 && ::kill(pid, 0) == 0 &&
         read_file("/proc/" + std::to_string(pid) + "/stat").find(") Z") == std::string::npos;
}

TEST(LabRun, BackgroundWorkOfAFailedPageIsStopped) {
  LabRunOptions options = quick_options();
  options.keep_directory = true;
  const std::string page = fence("sh") + "sleep 300 &\necho $! > sleeper.pid\n" + close_fence() +
                           fence("sh") + "false\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "bg.md", options);
  EXPECT_EQ(result.failures.size(), 1U) << joined(result.failures);
  const std::string pid = read_file(std::filesystem::path(result.directory) / "work/sleeper.pid");
  EXPECT_FALSE(pid.empty());
  EXPECT_FALSE(pid_alive(pid));
  std::filesystem::remove_all(result.directory);
}

TEST(LabRun, APageThatLeavesWorkRunningFailsAndTheWorkIsStopped) {
  LabRunOptions options = quick_options();
  options.keep_directory = true;
  const std::string page = fence("sh") + "sleep 300 &\necho $! > sleeper.pid\n" + close_fence();
  const LabRunResult result = run_lab_page(page, "left.md", options);
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("left.md: the page left background processes running"),
            std::string::npos);
  EXPECT_FALSE(pid_alive(read_file(std::filesystem::path(result.directory) / "work/sleeper.pid")));
  std::filesystem::remove_all(result.directory);
}

TEST(LabRun, APageThatRunsTooLongIsStoppedAtItsTimeLimit) {
  LabRunOptions options = quick_options();
  options.timeout = std::chrono::seconds(1);
  const std::string page = fence("sh") + "echo started\n" + close_fence() + fence("sh") +
                           "echo waiting\nsleep 60\n" + close_fence();
  const auto start = std::chrono::steady_clock::now();
  const LabRunResult result = run_lab_page(page, "slow.md", options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  ASSERT_EQ(result.failures.size(), 1U) << joined(result.failures);
  EXPECT_NE(result.failures[0].find("slow.md:4: timed out after 1 s"), std::string::npos)
      << result.failures[0];
  EXPECT_NE(result.failures[0].find("waiting"), std::string::npos);
}

}  // namespace
}  // namespace iscsi::labs
