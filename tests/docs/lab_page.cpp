#include "tests/docs/lab_page.hpp"

#include <fmt/format.h>

#include <charconv>

namespace iscsi::labs {
namespace {

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  text = trim_right(text);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && text[at] == ' ') ++at;
    const std::size_t end = std::min(text.find(' ', at), text.size());
    if (end > at) words.push_back(text.substr(at, end - at));
    at = end;
  }
  return words;
}

enum class FenceKind { kRun, kNoRun, kConsole, kOther };

struct Fence {
  FenceKind kind = FenceKind::kOther;
  int line = 0;
  int expected_exit = 0;
  std::vector<std::string> lines;
  bool follows_directly = false;  // only blank lines since the previous fence closed
};

// Reads an info string such as "sh exit=24"; an error message when it breaks the convention.
std::optional<std::string> read_info(std::string_view info, Fence& fence) {
  const auto words = words_of(info);
  const std::string_view language = words.empty() ? std::string_view{} : words.front();
  if (language == "sh") {
    fence.kind = FenceKind::kRun;
    for (std::size_t i = 1; i < words.size(); ++i) {
      const std::string_view word = words[i];
      int code = -1;
      const char* first = word.data() + 5;
      const char* last = word.data() + word.size();
      if (word.substr(0, 5) != "exit=" ||
          std::from_chars(first, last, code).ptr != last || code < 0 || code > 255) {
        return fmt::format("unknown attribute '{}' of a ```sh block (only exit=N, 0..255)", word);
      }
      fence.expected_exit = code;
    }
    return std::nullopt;
  }
  if (language == "sh-norun" || language == "console") {
    fence.kind = language == "console" ? FenceKind::kConsole : FenceKind::kNoRun;
    if (words.size() > 1) return fmt::format("```{} takes no attributes", language);
    return std::nullopt;
  }
  // Shell blocks under another name would silently not run: refuse them.
  for (std::string_view shell : {"bash", "shell", "zsh", "shell-session", "sh-session"}) {
    if (language == shell) {
      return fmt::format("```{}: write ```sh (run by the test) or ```sh-norun (shown only)",
                         language);
    }
  }
  if (language.substr(0, 3) == "sh-" || language.substr(0, 8) == "console-") {
    return fmt::format("unknown block type ```{}", language);
  }
  fence.kind = FenceKind::kOther;
  return std::nullopt;
}

// Attaches a ```console block to the ```sh block right before it.
void attach_console(const Fence& fence, ParsedPage& parsed, FenceKind previous,
                    const std::string& name) {
  if (previous != FenceKind::kRun || !fence.follows_directly || parsed.page.blocks.empty()) {
    parsed.errors.push_back(fmt::format(
        "{}:{}: a ```console block must directly follow a ```sh block (only blank lines "
        "between); use ```text for output that is not checked",
        name, fence.line));
    return;
  }
  RunBlock& block = parsed.page.blocks.back();
  for (const std::string& line : fence.lines) {
    if (!trim(line).empty()) block.expected_lines.push_back(line);
  }
  block.console_line = fence.line;
  if (block.expected_lines.empty()) {
    parsed.errors.push_back(fmt::format("{}:{}: empty ```console block", name, fence.line));
  }
}

void finish_fence(Fence& fence, ParsedPage& parsed, FenceKind& previous,
                  const std::string& name) {
  switch (fence.kind) {
    case FenceKind::kRun: {
      RunBlock block;
      block.line = fence.line;
      block.expected_exit = fence.expected_exit;
      for (const std::string& line : fence.lines) block.text += line + "\n";
      if (trim(block.text).empty()) {
        parsed.errors.push_back(fmt::format("{}:{}: empty ```sh block", name, fence.line));
      }
      parsed.page.blocks.push_back(std::move(block));
      break;
    }
    case FenceKind::kNoRun:
      ++parsed.page.skipped_blocks;
      break;
    case FenceKind::kConsole:
      attach_console(fence, parsed, previous, name);
      break;
    case FenceKind::kOther:
      break;
  }
  previous = fence.kind;
}

}  // namespace

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    lines.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

ParsedPage parse_lab_page(std::string_view text, const std::string& name) {
  ParsedPage parsed;
  if (text.size() > kMaxPageBytes) {
    parsed.errors.push_back(fmt::format("{}: larger than {} bytes", name, kMaxPageBytes));
    return parsed;
  }
  const std::vector<std::string> lines = split_lines(text);
  std::optional<Fence> open;
  FenceKind previous = FenceKind::kOther;
  bool blank_since_fence = true;  // only blank lines since the last fence closed
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_number = static_cast<int>(i) + 1;
    const std::string_view line = lines[i];
    const bool is_fence = line.substr(0, 3) == "```";
    if (open && is_fence && trim(line) == "```") {
      finish_fence(*open, parsed, previous, name);
      open.reset();
      blank_since_fence = true;
    } else if (open) {
      open->lines.emplace_back(line);
    } else if (is_fence) {
      Fence fence;
      fence.line = line_number;
      fence.follows_directly = blank_since_fence;
      if (auto error = read_info(line.substr(3), fence)) {
        parsed.errors.push_back(fmt::format("{}:{}: {}", name, line_number, *error));
      }
      open = std::move(fence);
    } else if (!trim(line).empty()) {
      blank_since_fence = false;
      previous = FenceKind::kOther;
    }
  }
  if (open) {
    parsed.errors.push_back(fmt::format("{}:{}: the block opened here is never closed", name,
                                        open->line));
  }
  return parsed;
}

bool console_line_matches(std::string_view expected, std::string_view actual) {
  expected = trim_right(expected);
  actual = trim_right(actual);
  constexpr std::string_view kAny = "...";
  std::size_t cut = expected.find(kAny);
  if (cut == std::string_view::npos) return expected == actual;
  // The text before the first `...` is a prefix; each later piece must follow in order, and
  // the text after the last `...` is a suffix.
  if (actual.substr(0, cut) != expected.substr(0, cut)) return false;
  std::size_t at = cut;
  std::string_view rest = expected.substr(cut + kAny.size());
  while (true) {
    cut = rest.find(kAny);
    if (cut == std::string_view::npos) {
      return actual.size() - at >= rest.size() &&
             actual.substr(actual.size() - rest.size()) == rest;
    }
    const std::size_t found = actual.find(rest.substr(0, cut), at);
    if (found == std::string_view::npos) return false;
    at = found + cut;
    rest = rest.substr(cut + kAny.size());
  }
}

std::optional<std::size_t> find_console_line(std::string_view expected,
                                             const std::vector<std::string>& output_lines,
                                             std::size_t from) {
  for (std::size_t i = from; i < output_lines.size(); ++i) {
    if (console_line_matches(expected, output_lines[i])) return i;
  }
  return std::nullopt;
}

}  // namespace iscsi::labs
