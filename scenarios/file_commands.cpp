#include "scenarios/file_commands.hpp"

#include <fmt/format.h>

#include <cctype>

#include "scenarios/units.hpp"

namespace iscsi::scenarios {
namespace {

// A power of 1024 (or of 1000 with a trailing B) for K, M, G, T, P, E in either case.
std::optional<std::uint64_t> multiplier(std::string_view suffix, bool dd) {
  if (suffix.empty()) return 1;
  if (dd && suffix == "c") return 1;
  if (dd && suffix == "w") return 2;
  if (dd && suffix == "b") return 512;
  static constexpr std::string_view kLetters = "kmgtpe";
  const std::size_t power =
      kLetters.find(static_cast<char>(std::tolower(static_cast<unsigned char>(suffix[0]))));
  if (power == std::string_view::npos) return std::nullopt;
  const std::string_view rest = suffix.substr(1);
  std::uint64_t base = 1024;
  if (rest == "B") {
    base = 1000;
  } else if (!rest.empty() && rest != "iB") {
    return std::nullopt;
  }
  std::uint64_t value = 1;
  for (std::size_t i = 0; i <= power; ++i) value *= base;
  return value;
}

// Digits then an optional unit; nullopt past max_size_bytes.
std::optional<std::uint64_t> coreutils_size(std::string_view text, bool dd) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 16) return std::nullopt;
  const std::optional<std::uint64_t> number =
      parse_unsigned(text.substr(0, digits), max_size_bytes);
  const std::optional<std::uint64_t> unit = multiplier(text.substr(digits), dd);
  if (!number || !unit) return std::nullopt;
  if (*number != 0 && *unit > max_size_bytes / *number) return std::nullopt;
  return *number * *unit;
}

FileCommandParse refused(std::string text) {
  return FileCommandParse{std::nullopt, std::move(text)};
}

FileCommandParse parse_truncate(const std::vector<std::string>& words) {
  std::optional<std::string> size_text;
  std::vector<std::string> paths;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "-s" || word == "--size") {
      if (i + 1 == words.size()) return refused(fmt::format("truncate: {} needs a size", word));
      size_text = words[++i];
    } else if (word.starts_with("--size=")) {
      size_text = word.substr(7);
    } else if (word.starts_with("-s")) {
      size_text = word.substr(2);
    } else if (word == "-c" || word == "--no-create") {
      continue;
    } else if (word.starts_with("-")) {
      return refused(fmt::format("truncate: option '{}' is not supported (only -s SIZE)", word));
    } else {
      paths.push_back(word);
    }
  }
  if (!size_text) return refused("truncate: expected -s SIZE, e.g. truncate -s 1G /home/disk1.img");
  if (paths.size() != 1) return refused("truncate: expected exactly one file");
  const std::optional<std::uint64_t> bytes = coreutils_size(*size_text, false);
  if (!bytes) {
    return refused(fmt::format(
        "truncate: '{}' is not a size such as 64M, 1G or 10GB (relative sizes are not supported)",
        size_text->substr(0, 40)));
  }
  return FileCommandParse{FileCommand{paths.front(), *bytes}, {}};
}

struct DdOperands {
  std::string output;
  std::uint64_t input_block = 512;
  std::uint64_t output_block = 512;
  std::optional<std::uint64_t> count;
  std::uint64_t seek = 0;
};

// One key=value operand of dd into `operands`; an error sentence when it is not understood.
std::string dd_operand(std::string_view key, std::string_view value, DdOperands& operands) {
  if (key == "if") return value == "/dev/zero" ? "" : "dd: only if=/dev/zero is supported";
  if (key == "of") {
    operands.output = std::string(value);
    return "";
  }
  if (key == "status" || key == "conv" || key == "iflag" || key == "oflag") return "";
  const std::optional<std::uint64_t> number = coreutils_size(value, true);
  if (!number) return fmt::format("dd: '{}' is not a number such as 1024, 1M or 4K", value);
  if (key == "bs") {
    operands.input_block = operands.output_block = *number;
  } else if (key == "ibs") {
    operands.input_block = *number;
  } else if (key == "obs") {
    operands.output_block = *number;
  } else if (key == "count") {
    operands.count = *number;
  } else if (key == "seek" || key == "oseek") {
    operands.seek = *number;
  } else {
    return fmt::format("dd: operand '{}=' is not supported", key);
  }
  return "";
}

FileCommandParse parse_dd(const std::vector<std::string>& words) {
  DdOperands operands;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::size_t equals = words[i].find('=');
    if (equals == std::string::npos) {
      return refused(fmt::format("dd: expected KEY=VALUE, got '{}'", words[i].substr(0, 40)));
    }
    std::string failure = dd_operand(std::string_view(words[i]).substr(0, equals),
                                     std::string_view(words[i]).substr(equals + 1), operands);
    if (!failure.empty()) return refused(std::move(failure));
  }
  if (operands.output.empty()) return refused("dd: expected of=FILE");
  if (!operands.count)
    return refused("dd: expected count=N (without it dd copies /dev/zero forever)");
  const std::uint64_t written = *operands.count;
  // Both products stay below 2^100 only if checked: each factor is at most max_size_bytes.
  if ((written != 0 && operands.input_block > max_size_bytes / written) ||
      (operands.seek != 0 && operands.output_block > max_size_bytes / operands.seek)) {
    return refused("dd: the file would be larger than 1 PiB");
  }
  const std::uint64_t bytes =
      operands.seek * operands.output_block + written * operands.input_block;
  if (bytes > max_size_bytes) return refused("dd: the file would be larger than 1 PiB");
  return FileCommandParse{FileCommand{operands.output, bytes}, {}};
}

}  // namespace

bool is_file_command(std::string_view program) { return program == "truncate" || program == "dd"; }

FileCommandParse parse_file_command(const std::vector<std::string>& words) {
  if (words.empty() || !is_file_command(words.front())) {
    return refused("expected a truncate or dd command line");
  }
  return words.front() == "truncate" ? parse_truncate(words) : parse_dd(words);
}

}  // namespace iscsi::scenarios
