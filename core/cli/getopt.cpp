#include "core/cli/getopt.hpp"

namespace iscsi::cli {
namespace {

// glibc rejects ':' and ';' even though they appear in optstrings; a NUL cannot be an
// option character in C at all.
std::optional<ArgKind> short_kind(std::string_view spec, char c) {
  if (c == ':' || c == ';' || c == '\0') return std::nullopt;
  std::size_t at = spec.find(c);
  if (at == std::string_view::npos) return std::nullopt;
  if (at + 1 >= spec.size() || spec[at + 1] != ':') return ArgKind::none;
  if (at + 2 < spec.size() && spec[at + 2] == ':') return ArgKind::optional;
  return ArgKind::required;
}

OptionEvent option(char code, std::optional<std::string> argument) {
  OptionEvent event;
  event.code = code;
  event.argument = std::move(argument);
  return event;
}

OptionEvent failure(std::string message, char optopt) {
  OptionEvent event;
  event.code = '?';
  event.error = std::move(message);
  event.optopt = optopt;
  return event;
}

}  // namespace

std::optional<OptionEvent> GetoptLong::next() {
  if (!cluster_.empty()) return next_short();
  while (index_ < args_.size()) {
    const std::string& arg = args_[index_++];
    if (arg == "--") {
      operands_.insert(operands_.end(), args_.begin() + static_cast<std::ptrdiff_t>(index_),
                       args_.end());
      index_ = args_.size();
      break;
    }
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
      return next_long(std::string_view(arg).substr(2));
    }
    if (arg.size() >= 2 && arg[0] == '-') {
      cluster_ = std::string_view(arg).substr(1);
      return next_short();
    }
    // glibc permutes operands behind the options; "-" alone is an operand too.
    operands_.push_back(arg);
  }
  return std::nullopt;
}

// glibc: an exact name wins; otherwise a unique prefix; several prefix matches are
// ambiguous unless they all denote the same option.
std::optional<std::size_t> GetoptLong::find_long(std::string_view name, std::string_view body,
                                                 std::string& error) const {
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < long_options_.size(); ++i) {
    if (long_options_[i].name == name) return i;
    if (long_options_[i].name.substr(0, name.size()) == name) matches.push_back(i);
  }
  if (matches.empty()) {
    error = "unrecognized option '--" + std::string(body) + "'";
    return std::nullopt;
  }
  const LongOption& first = long_options_[matches[0]];
  bool same = true;
  for (std::size_t m : matches) {
    same = same && long_options_[m].arg == first.arg && long_options_[m].code == first.code;
  }
  if (!same) {
    error = "option '--" + std::string(name) + "' is ambiguous; possibilities:";
    for (std::size_t m : matches) error += " '--" + std::string(long_options_[m].name) + "'";
    return std::nullopt;
  }
  return matches[0];
}

OptionEvent GetoptLong::next_long(std::string_view body) {
  std::size_t eq = body.find('=');
  std::string_view name = body.substr(0, eq);
  std::string error;
  auto found = find_long(name, body, error);
  if (!found) return failure(std::move(error), 0);
  const LongOption& opt = long_options_[*found];
  const std::string shown = "option '--" + std::string(opt.name) + "'";
  if (eq != std::string_view::npos) {
    if (opt.arg == ArgKind::none) return failure(shown + " doesn't allow an argument", opt.code);
    return option(opt.code, std::string(body.substr(eq + 1)));
  }
  switch (opt.arg) {
    case ArgKind::none:
    case ArgKind::optional:
      // An optional argument is only ever "--name=value"; the next word stays a word.
      return option(opt.code, std::nullopt);
    case ArgKind::required:
      if (index_ >= args_.size()) return failure(shown + " requires an argument", opt.code);
      return option(opt.code, args_[index_++]);
  }
  return option(opt.code, std::nullopt);
}

OptionEvent GetoptLong::next_short() {
  char c = cluster_.front();
  cluster_.remove_prefix(1);
  auto kind = short_kind(short_options_, c);
  if (!kind) return failure(std::string("invalid option -- '") + c + "'", c);
  std::optional<std::string> argument;
  switch (*kind) {
    case ArgKind::none:
      return option(c, std::nullopt);
    case ArgKind::optional:
      // "-ovalue" only: an optional argument never takes the next word.
      if (!cluster_.empty()) argument = std::string(cluster_);
      break;
    case ArgKind::required:
      if (!cluster_.empty()) {
        argument = std::string(cluster_);
      } else if (index_ < args_.size()) {
        argument = args_[index_++];
      } else {
        return failure(std::string("option requires an argument -- '") + c + "'", c);
      }
      break;
  }
  cluster_ = {};
  return option(c, std::move(argument));
}

}  // namespace iscsi::cli
