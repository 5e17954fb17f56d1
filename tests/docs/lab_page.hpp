#pragma once
// A lab page (docs/labs/NN-*.md) read as the test sees it: its fenced blocks, which of them run,
// with which exit code, and which lines of output each must print. docs/labs/README.md
// ("How the pages are tested") documents the conventions this parser enforces.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::labs {

// Bound on one page: a page is prose for students, never this long.
inline constexpr std::size_t kMaxPageBytes = 256 * 1024;

struct RunBlock {
  int line = 0;           // 1-based line of the opening fence
  std::string text;       // the commands, as on the page
  int expected_exit = 0;  // ```sh exit=N; 0 for a plain ```sh
  // The lines of the ```console block right after it (empty when there is none) and the line
  // of that block's opening fence.
  std::vector<std::string> expected_lines;
  int console_line = 0;
};

struct LabPage {
  std::vector<RunBlock> blocks;  // in page order
  int skipped_blocks = 0;        // ```sh-norun blocks (shown, never run)
};

// Parses a page; every problem is one "NAME:LINE: message" string. A page with problems is
// not run.
struct ParsedPage {
  LabPage page;
  std::vector<std::string> errors;
};
ParsedPage parse_lab_page(std::string_view text, const std::string& name);

// Does `expected` (one console line, `...` matching any text) match the whole of `actual`?
// Trailing whitespace is ignored on both.
bool console_line_matches(std::string_view expected, std::string_view actual);

// The index in `output_lines` (from `from`) of the first line `expected` matches.
std::optional<std::size_t> find_console_line(std::string_view expected,
                                             const std::vector<std::string>& output_lines,
                                             std::size_t from);

// Splits text into lines (no line terminators; a final newline adds no empty line).
std::vector<std::string> split_lines(std::string_view text);

}  // namespace iscsi::labs
