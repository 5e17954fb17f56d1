#include "target-impl/config/getopt_long.hpp"

namespace iscsi::target::config::getopt {
namespace {

std::optional<ArgKind> short_kind(std::string_view spec, char c) {
  if (c == ':') return std::nullopt;
  std::size_t at = spec.find(c);
  if (at == std::string_view::npos) return std::nullopt;
  bool takes = at + 1 < spec.size() && spec[at + 1] == ':';
  return takes ? ArgKind::required : ArgKind::none;
}

class Parser {
 public:
  Parser(std::span<const std::string> args, std::string_view spec,
         std::span<const LongOption> longs)
      : args_(args), spec_(spec), longs_(longs) {}

  Result run() {
    while (index_ < args_.size() && !result_.error) {
      const std::string& arg = args_[index_];
      if (arg == "--") {
        for (std::size_t i = index_ + 1; i < args_.size(); ++i) result_.operands.push_back(args_[i]);
        break;
      }
      if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
        ++index_;
        parse_long(std::string_view(arg).substr(2));
      } else if (arg.size() >= 2 && arg[0] == '-') {
        ++index_;
        parse_short_cluster(arg);
      } else {
        result_.operands.push_back(arg);
        ++index_;
      }
    }
    return std::move(result_);
  }

 private:
  // glibc: an exact name wins; otherwise a unique prefix; several prefix matches are
  // ambiguous unless they all denote the same option.
  std::optional<std::size_t> find_long(std::string_view name, std::string_view whole) {
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < longs_.size(); ++i) {
      if (longs_[i].name == name) return i;
      if (longs_[i].name.substr(0, name.size()) == name) matches.push_back(i);
    }
    if (matches.empty()) {
      result_.error = "unrecognized option '--" + std::string(whole) + "'";
      return std::nullopt;
    }
    bool same = true;
    for (std::size_t m : matches) {
      same = same && longs_[m].arg == longs_[matches[0]].arg &&
             longs_[m].code == longs_[matches[0]].code;
    }
    if (matches.size() > 1 && !same) {
      std::string message = "option '--" + std::string(name) + "' is ambiguous; possibilities:";
      for (std::size_t m : matches) message += " '--" + std::string(longs_[m].name) + "'";
      result_.error = std::move(message);
      return std::nullopt;
    }
    return matches[0];
  }

  void parse_long(std::string_view body) {
    std::size_t eq = body.find('=');
    std::string_view name = body.substr(0, eq);
    auto found = find_long(name, body);
    if (!found) return;
    const LongOption& opt = longs_[*found];
    Parsed parsed{opt.code, std::nullopt};
    if (eq != std::string_view::npos) {
      if (opt.arg == ArgKind::none) {
        result_.error = "option '--" + std::string(opt.name) + "' doesn't allow an argument";
        return;
      }
      parsed.argument = std::string(body.substr(eq + 1));
    } else if (opt.arg == ArgKind::required) {
      if (index_ >= args_.size()) {
        result_.error = "option '--" + std::string(opt.name) + "' requires an argument";
        return;
      }
      parsed.argument = args_[index_++];
    }
    result_.options.push_back(std::move(parsed));
  }

  void parse_short_cluster(const std::string& arg) {
    for (std::size_t i = 1; i < arg.size(); ++i) {
      char c = arg[i];
      auto kind = short_kind(spec_, c);
      if (!kind) {
        result_.error = std::string("invalid option -- '") + c + "'";
        return;
      }
      if (*kind == ArgKind::none) {
        result_.options.push_back(Parsed{c, std::nullopt});
        continue;
      }
      if (i + 1 < arg.size()) {
        result_.options.push_back(Parsed{c, arg.substr(i + 1)});
      } else if (index_ < args_.size()) {
        result_.options.push_back(Parsed{c, args_[index_++]});
      } else {
        result_.error = std::string("option requires an argument -- '") + c + "'";
      }
      return;
    }
  }

  std::span<const std::string> args_;
  std::string_view spec_;
  std::span<const LongOption> longs_;
  std::size_t index_ = 0;
  Result result_;
};

}  // namespace

Result parse(std::span<const std::string> args, std::string_view short_options,
             std::span<const LongOption> long_options) {
  return Parser(args, short_options, long_options).run();
}

}  // namespace iscsi::target::config::getopt
