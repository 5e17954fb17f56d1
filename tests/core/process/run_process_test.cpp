// process::run: stdin in, stdout and stderr out, exit statuses as a shell reports them, a
// program that cannot start, and the time and output limits killing the whole process group.
#include "core/process/run_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <string>
#include <thread>

namespace iscsi::process {
namespace {

TEST(RunProcess, StdinGoesInAndBothOutputsComeBack) {
  const Result done =
      run({"sh", "-c", "cat; echo oops >&2; exit 3"}, {.stdin_data = "line one\nline two\n"});
  EXPECT_TRUE(done.started);
  EXPECT_FALSE(done.timed_out);
  EXPECT_EQ(done.exit_code, 3);
  EXPECT_EQ(done.out, "line one\nline two\n");
  EXPECT_EQ(done.err, "oops\n");
}

TEST(RunProcess, AProgramThatIgnoresItsStdinDoesNotKillTheCaller) {
  const Result done = run({"true"}, {.stdin_data = std::string(1 << 20, 'x')});
  EXPECT_EQ(done.exit_code, 0);  // EPIPE on our side, no SIGPIPE
}

TEST(RunProcess, ASignalIs128PlusItsNumber) {
  EXPECT_EQ(run({"sh", "-c", "kill -TERM $$"}).exit_code, 128 + SIGTERM);
}

TEST(RunProcess, AMissingProgramIs127) {
  const Result done = run({"iscsim-no-such-program"});
  EXPECT_FALSE(done.started);
  EXPECT_EQ(done.exit_code, 127);
  EXPECT_EQ(done.err, "cannot start iscsim-no-such-program");
  EXPECT_EQ(run({}).exit_code, 127);
}

// True when process `pid` is gone or a zombie (killed, not yet reaped by its new parent).
bool dead(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const std::size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

// The background sleep is in the program's process group: the limit kills it too.
TEST(RunProcess, TheTimeLimitKillsTheProgramAndWhatItStarted) {
  const Result done = run({"sh", "-c", "sleep 30 & echo $!; wait"},
                          {.stdin_data = {}, .timeout = std::chrono::milliseconds(300)});
  EXPECT_TRUE(done.started);
  EXPECT_TRUE(done.timed_out);
  EXPECT_EQ(done.exit_code, 128 + SIGKILL);
  const int background = std::stoi(done.out);
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {  // bounded: 2 s
    gone = dead(background);
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone) << "the background sleep " << background << " outlived the limit";
}

TEST(RunProcess, TooMuchOutputKillsTheProgram) {
  const Result done =
      run({"yes"},
          {.stdin_data = {}, .timeout = std::chrono::seconds(60), .output_limit_bytes = 100000});
  EXPECT_TRUE(done.timed_out);
  EXPECT_GT(done.out.size(), 100000u);
  EXPECT_EQ(done.exit_code, 128 + SIGKILL);
}

}  // namespace
}  // namespace iscsi::process
