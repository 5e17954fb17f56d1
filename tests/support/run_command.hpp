#pragma once
// Runs an external program (tshark, text2pcap, openssl, iscsim itself) from a test, with its
// output captured and a hard time limit, so a hung peer fails the test instead of hanging it.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::test {

struct CommandResult {
  int exit_code = -1;      // the program's exit status; 128+N when killed by signal N
  bool timed_out = false;  // killed after the time limit
  std::string out;         // stdout
  std::string err;         // stderr
};

struct CommandOptions {
  std::string stdin_data;
  std::chrono::milliseconds timeout = std::chrono::seconds(60);
  std::size_t output_limit_bytes = 64 * 1024 * 1024;  // beyond this the program is killed
};

// argv[0] is looked up in PATH. Never throws; a program that cannot start gives exit code 127.
CommandResult run_command(const std::vector<std::string>& argv,
                          const CommandOptions& options = {});

// "exit N", then the captured stdout and stderr: the message of a failed expectation.
std::string describe(const CommandResult& result);

// True when `program` is found in PATH (for tests that need an optional tool).
bool program_available(std::string_view program);

}  // namespace iscsi::test
