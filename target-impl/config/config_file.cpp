#include "target-impl/config/config_file.hpp"

#include "target-impl/config/tokenizer.hpp"

namespace iscsi::target::config {
namespace {

// A physical line ending in an unescaped backslash continues on the next one, as in sh.
bool continues(std::string_view line) {
  std::size_t backslashes = 0;
  for (std::size_t i = line.size(); i > 0 && line[i - 1] == '\\'; --i) ++backslashes;
  return backslashes % 2 == 1;
}

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Drops "tgtadm", "iscsim tgtadm" or "sudo tgtadm" at the start of a command.
std::size_t prefix_words(const std::vector<std::string>& words) {
  std::size_t skip = 0;
  if (!words.empty() && (words[0] == "sudo" || words[0] == "iscsim")) skip = 1;
  if (words.size() > skip && (words[skip] == "tgtadm" || words[skip] == "/usr/sbin/tgtadm")) {
    return skip + 1;
  }
  return 0;
}

// tgtadm's stderr without the "tgtadm: " prefix, on one line.
std::string one_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

}  // namespace

std::string ConfigError::to_string() const {
  std::string where = file + ":" + std::to_string(line) + ":";
  if (column != 0) where += std::to_string(column) + ":";
  return where + " " + message;
}

LoadedConfig load_tgtadm_lines(std::string_view text, std::string_view file_name,
                               SystemConfig& config, ExecutionHost& host) {
  LoadedConfig loaded;
  SystemConfig working = config;
  std::size_t line_number = 0;
  std::size_t pos = 0;
  auto fail = [&](std::size_t line, std::size_t column, std::string message) {
    loaded.effects.clear();
    loaded.error = ConfigError{std::string(file_name), line, column, std::move(message)};
    return std::move(loaded);
  };
  while (pos < text.size()) {
    std::size_t first_line = line_number + 1;
    std::string command;
    bool more = true;
    while (more && pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      std::string_view line = strip_cr(text.substr(pos, end == text.npos ? text.npos : end - pos));
      pos = end == text.npos ? text.size() : end + 1;
      if (++line_number > max_config_lines) {
        return fail(line_number, 0, "more than " + std::to_string(max_config_lines) + " lines");
      }
      more = continues(line);
      command += more ? line.substr(0, line.size() - 1) : line;
    }
    TokenizedLine tokens = tokenize_line(command);
    if (tokens.error) return fail(first_line, tokens.error->column, tokens.error->message);
    if (tokens.words.empty()) continue;
    std::size_t skip = prefix_words(tokens.words);
    std::vector<std::string> args(tokens.words.begin() + static_cast<std::ptrdiff_t>(skip),
                                  tokens.words.end());
    Execution run = run_tgtadm(args, working, host);
    if (run.reply.exit_code != 0) return fail(first_line, 0, one_line(run.reply.err));
    loaded.output += run.reply.out;
    loaded.effects.insert(loaded.effects.end(), run.effects.begin(), run.effects.end());
  }
  config = std::move(working);
  return loaded;
}

}  // namespace iscsi::target::config
