#include "initiator-impl/iscsiadm/getopt.hpp"

namespace iscsi::initiator::iscsiadm::getopt {
namespace {

std::optional<ArgKind> short_kind(std::string_view spec, char c) {
  if (c == ':' || c == ';' || c == '\0') return std::nullopt;
  std::size_t at = spec.find(c);
  if (at == std::string_view::npos) return std::nullopt;
  bool takes = at + 1 < spec.size() && spec[at + 1] == ':';
  return takes ? ArgKind::required : ArgKind::none;
}

Event failure(std::string message, char optopt) {
  Event event;
  event.code = '?';
  event.error = std::move(message);
  event.optopt = optopt;
  return event;
}

class Parser {
 public:
  Parser(std::span<const std::string> args, std::string_view spec,
         std::span<const LongOption> longs)
      : args_(args), spec_(spec), longs_(longs) {}

  std::vector<Event> run() {
    while (index_ < args_.size() && events_.size() < kMaxEvents) {
      const std::string& arg = args_[index_++];
      if (arg == "--") break;
      if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
        parse_long(std::string_view(arg).substr(2));
      } else if (arg.size() >= 2 && arg[0] == '-') {
        parse_short_cluster(arg);
      }
      // Operands are permuted to the end by glibc; iscsiadm never reads them.
    }
    return std::move(events_);
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
      events_.push_back(failure("unrecognized option '--" + std::string(whole) + "'", 0));
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
      events_.push_back(failure(std::move(message), 0));
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
    Event event;
    event.code = opt.code;
    if (eq != std::string_view::npos) {
      if (opt.arg == ArgKind::none) {
        events_.push_back(failure(
            "option '--" + std::string(opt.name) + "' doesn't allow an argument", opt.code));
        return;
      }
      event.argument = std::string(body.substr(eq + 1));
    } else if (opt.arg == ArgKind::required) {
      if (index_ >= args_.size()) {
        events_.push_back(failure(
            "option '--" + std::string(opt.name) + "' requires an argument", opt.code));
        return;
      }
      event.argument = args_[index_++];
    }
    events_.push_back(std::move(event));
  }

  void parse_short_cluster(const std::string& arg) {
    for (std::size_t i = 1; i < arg.size(); ++i) {
      char c = arg[i];
      auto kind = short_kind(spec_, c);
      if (!kind) {
        events_.push_back(failure(std::string("invalid option -- '") + c + "'", c));
        continue;
      }
      Event event;
      event.code = c;
      if (*kind == ArgKind::none) {
        events_.push_back(std::move(event));
        continue;
      }
      if (i + 1 < arg.size()) {
        event.argument = arg.substr(i + 1);
      } else if (index_ < args_.size()) {
        event.argument = args_[index_++];
      } else {
        events_.push_back(
            failure(std::string("option requires an argument -- '") + c + "'", c));
        return;
      }
      events_.push_back(std::move(event));
      return;
    }
  }

  std::span<const std::string> args_;
  std::string_view spec_;
  std::span<const LongOption> longs_;
  std::size_t index_ = 0;
  std::vector<Event> events_;
};

}  // namespace

std::vector<Event> parse(std::span<const std::string> args, std::string_view short_options,
                         std::span<const LongOption> long_options) {
  return Parser(args, short_options, long_options).run();
}

}  // namespace iscsi::initiator::iscsiadm::getopt
