#pragma once
// The bash driver that runs a page's ```sh blocks in one shell (lab_runner.cpp starts it), and
// the status it leaves behind.
#include <optional>
#include <string>
#include <vector>

#include "tests/docs/lab_page.hpp"

namespace iscsi::labs {

// The driver script. Each block is `eval`ed from HARNESS/block-LINE.sh in the shell itself (so
// `cd`, variables and background jobs carry over to the next block) with its stdout and stderr
// in HARNESS/out-LINE.txt. A plain ```sh block runs under `set -e`; a ```sh exit=N block runs
// without it and its last command's status must be N. The EXIT trap writes HARNESS/status.
struct DriverScript {
  std::string text;
  std::vector<int> eval_lines;  // per block: the driver's line that evals it
};
DriverScript make_driver_script(const LabPage& page, const std::string& harness_dir);

// HARNESS/status: "LINE RC ERRLINE" (LINE is `done` when every block ran; ERRLINE the driver
// line of the last failing command, 0 if none).
struct DriverStatus {
  bool done = false;
  int block_line = 0;
  int exit_code = 0;
  int error_driver_line = 0;
};
std::optional<DriverStatus> parse_driver_status(const std::string& text);

}  // namespace iscsi::labs
