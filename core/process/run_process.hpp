#pragma once
// One external program run to its end: argv[0] looked up in PATH, `stdin_data` written to its
// stdin, stdout and stderr captured, in a process group of its own so that a timeout (or too
// much output) kills it and everything it started. Never throws.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace iscsi::process {

struct Options {
  std::string stdin_data;
  std::chrono::milliseconds timeout = std::chrono::seconds(60);
  std::size_t output_limit_bytes = 64 * 1024 * 1024;  // stdout and stderr together
};

struct Result {
  bool started = false;    // false: no pipes or no such program (exit_code 127, err says why)
  int exit_code = -1;      // the exit status; 128+N when killed by signal N
  bool timed_out = false;  // killed at the time limit or past the output limit
  std::string out;         // stdout
  std::string err;         // stderr
};

Result run(const std::vector<std::string>& argv, const Options& options = {});

}  // namespace iscsi::process
