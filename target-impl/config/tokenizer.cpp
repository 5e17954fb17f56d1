#include "target-impl/config/tokenizer.hpp"

namespace iscsi::target::config {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Characters a backslash may escape inside double quotes (POSIX sh "2.2.3 Double-Quotes");
// before any other character the backslash stays literal.
bool escapable_in_double_quotes(char c) {
  return c == '"' || c == '\\' || c == '$' || c == '`' || c == '\n';
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view line) : line_(line) {}

  TokenizedLine run() {
    if (line_.size() > max_line_bytes) {
      fail(max_line_bytes + 1, "line longer than " + std::to_string(max_line_bytes) + " bytes");
      return std::move(result_);
    }
    while (!result_.error) {
      skip_blanks();
      if (pos_ >= line_.size() || line_[pos_] == '#') break;
      if (result_.words.size() >= max_words_per_line) {
        fail(pos_ + 1, "more than " + std::to_string(max_words_per_line) + " words");
        break;
      }
      read_word();
    }
    return std::move(result_);
  }

 private:
  void skip_blanks() {
    while (pos_ < line_.size() && is_blank(line_[pos_])) ++pos_;
  }

  void fail(std::size_t column, std::string message) {
    result_.error = TokenizeError{column, std::move(message)};
  }

  void read_word() {
    std::string word;
    while (pos_ < line_.size() && !is_blank(line_[pos_]) && !result_.error) {
      char c = line_[pos_];
      if (c == '\'') {
        read_single_quoted(word);
      } else if (c == '"') {
        read_double_quoted(word);
      } else if (c == '\\') {
        read_escape(word);
      } else {
        word.push_back(c);
        ++pos_;
      }
    }
    if (!result_.error) result_.words.push_back(std::move(word));
  }

  void read_single_quoted(std::string& word) {
    std::size_t open = pos_++;
    while (pos_ < line_.size() && line_[pos_] != '\'') word.push_back(line_[pos_++]);
    if (pos_ >= line_.size()) {
      fail(open + 1, "unterminated single quote");
      return;
    }
    ++pos_;
  }

  void read_double_quoted(std::string& word) {
    std::size_t open = pos_++;
    while (pos_ < line_.size() && line_[pos_] != '"') {
      if (line_[pos_] == '\\' && pos_ + 1 < line_.size() &&
          escapable_in_double_quotes(line_[pos_ + 1])) {
        ++pos_;
      }
      word.push_back(line_[pos_++]);
    }
    if (pos_ >= line_.size()) {
      fail(open + 1, "unterminated double quote");
      return;
    }
    ++pos_;
  }

  void read_escape(std::string& word) {
    if (pos_ + 1 >= line_.size()) {
      fail(pos_ + 1, "backslash at the end of the line");
      return;
    }
    word.push_back(line_[pos_ + 1]);
    pos_ += 2;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
  TokenizedLine result_;
};

}  // namespace

TokenizedLine tokenize_line(std::string_view line) { return Tokenizer(line).run(); }

}  // namespace iscsi::target::config
