#pragma once
// Splits one tgtadm command line into words the way a POSIX shell would for the subset the
// tutorial uses: 'single quotes' (literal), "double quotes" (backslash escapes only \" \\ \$
// \` and newline), backslash escapes outside quotes, and # comments at the start of a word.
// No expansion of any kind: `$HOME` stays as typed.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::target::config {

// A line longer than this is refused rather than tokenized (a configuration line is a few
// hundred bytes; the limit keeps a hostile file from costing unbounded time).
inline constexpr std::size_t max_line_bytes = 64 * 1024;
inline constexpr std::size_t max_words_per_line = 256;

struct TokenizeError {
  std::size_t column = 0;  // 1-based column of the offending character
  std::string message;     // "unterminated single quote"
};

struct TokenizedLine {
  std::vector<std::string> words;
  std::optional<TokenizeError> error;  // set: `words` holds what was read before the error
};

TokenizedLine tokenize_line(std::string_view line);

}  // namespace iscsi::target::config
