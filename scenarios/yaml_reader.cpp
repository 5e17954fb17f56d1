#include "scenarios/yaml_reader.hpp"

#include <fmt/format.h>

#include <set>

#include "scenarios/loader.hpp"
#include "scenarios/units.hpp"
#include "target-impl/config/tokenizer.hpp"

namespace iscsi::scenarios::detail {
namespace {

// A value quoted in a message, shortened so a hostile file cannot make huge messages.
std::string quoted(std::string_view value) {
  constexpr std::size_t limit = 60;
  if (value.size() <= limit) return fmt::format("'{}'", value);
  return fmt::format("'{}...'", value.substr(0, limit));
}

std::string join_views(std::initializer_list<std::string_view> items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string_view type_name(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "a value";
}

void check_count(const YAML::Node& node, std::string_view what) {
  if (node.size() > max_list_items) {
    fail(node, fmt::format("{} has {} entries (at most {})", what, node.size(), max_list_items));
  }
}

}  // namespace

SourcePos position_of(const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {};
  return SourcePos{static_cast<std::size_t>(mark.line) + 1,
                   static_cast<std::size_t>(mark.column) + 1};
}

void fail(const YAML::Node& node, std::string message) {
  throw LoadFailure{position_of(node), std::move(message)};
}

void fail_at(SourcePos at, std::string message) { throw LoadFailure{at, std::move(message)}; }

void expect_map(const YAML::Node& node, std::string_view what) {
  if (!node.IsMap())
    fail(node, fmt::format("expected a mapping for {}, got {}", what, type_name(node)));
  check_count(node, what);
}

void expect_list(const YAML::Node& node, std::string_view what) {
  if (!node.IsSequence())
    fail(node, fmt::format("expected a list for {}, got {}", what, type_name(node)));
  check_count(node, what);
}

std::vector<std::string> map_keys(const YAML::Node& map, std::string_view what) {
  expect_map(map, what);
  std::vector<std::string> keys;
  std::set<std::string_view> seen;
  keys.reserve(map.size());  // `seen` points into `keys`, which must not reallocate
  for (auto it = map.begin(); it != map.end(); ++it) {
    keys.push_back(text(it->first, fmt::format("a key in {}", what)));
    if (!seen.insert(keys.back()).second) {
      fail(it->first, fmt::format("duplicate key {} in {}", quoted(keys.back()), what));
    }
  }
  return keys;
}

void check_keys(const YAML::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> keys = map_keys(map, what);
  auto it = map.begin();
  for (const std::string& key : keys) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      fail(it->first, fmt::format("unknown key {} in {} (expected one of: {})", quoted(key), what,
                                  join_views(allowed)));
    }
    ++it;
  }
}

YAML::Node key_node(const YAML::Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->first;
  }
  return map;
}

void require(const YAML::Node& map, std::string_view key, std::string_view what) {
  if (!map[std::string(key)]) fail(map, fmt::format("missing key '{}' in {}", key, what));
}

thread_local LoadBudget* LoadBudget::current_ = nullptr;

LoadBudget::LoadBudget() : previous_(current_) { current_ = this; }
LoadBudget::~LoadBudget() { current_ = previous_; }

void LoadBudget::spend(const YAML::Node& node, std::size_t bytes) {
  if (current_ == nullptr) return;
  current_->reads_ += 1;
  current_->bytes_ += bytes;
  if (current_->reads_ > max_reads || current_->bytes_ > max_bytes) {
    fail(node, fmt::format("the scenario expands to more than {} values or {} bytes (aliases "
                           "repeating large nodes?)",
                           max_reads, max_bytes));
  }
}

std::string text(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    fail(node, fmt::format("expected a single value for {}, got {}", what, type_name(node)));
  }
  if (node.Scalar().size() > max_string_bytes) {
    fail(node, fmt::format("{} is longer than {} bytes", what, max_string_bytes));
  }
  LoadBudget::spend(node, node.Scalar().size());
  return node.Scalar();
}

std::vector<std::string> text_list(const YAML::Node& node, std::string_view what) {
  if (node.IsScalar()) return {text(node, what)};
  expect_list(node, what);
  std::vector<std::string> items;
  for (const YAML::Node& item : node) items.push_back(text(item, what));
  return items;
}

std::uint64_t number(const YAML::Node& node, std::string_view what, std::uint64_t max) {
  std::string value = text(node, what);
  auto parsed = parse_unsigned(value, max);
  if (!parsed) {
    fail(node,
         fmt::format("expected a number from 0 to {} for {}, got {}", max, what, quoted(value)));
  }
  return *parsed;
}

bool boolean(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  if (value == "true") return true;
  if (value == "false") return false;
  fail(node, fmt::format("expected true or false for {}, got {}", what, quoted(value)));
}

runtime::Duration duration(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_duration(value);
  if (!parsed) {
    fail(node, fmt::format("expected a duration such as 100us, 2ms or 1s for {}, got {}", what,
                           quoted(value)));
  }
  return *parsed;
}

std::uint64_t rate(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_rate(value);
  if (!parsed) {
    fail(node, fmt::format("expected a rate such as 100Mbps or 1Gbps for {}, got {}", what,
                           quoted(value)));
  }
  return *parsed;
}

std::uint64_t size(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_size(value);
  if (!parsed) {
    fail(node, fmt::format("expected a size such as 4096, 64KiB or 16MiB for {}, got {}", what,
                           quoted(value)));
  }
  return *parsed;
}

std::uint32_t ipv4(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_ipv4(value);
  if (!parsed) {
    fail(node, fmt::format("expected an IPv4 address such as 192.168.1.10 for {}, got {}", what,
                           quoted(value)));
  }
  return *parsed;
}

runtime::Endpoint portal(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_portal(value, 3260);
  if (!parsed) {
    fail(node, fmt::format("expected a portal such as 192.168.1.10:3260 for {}, got {}", what,
                           quoted(value)));
  }
  return *parsed;
}

Bytes hex(const YAML::Node& node, std::string_view what) {
  std::string value = text(node, what);
  auto parsed = parse_hex(value);
  if (!parsed) {
    fail(node, fmt::format("expected hex bytes such as '0x01ff' or '01 ff' for {}, got {}", what,
                           quoted(value)));
  }
  return std::move(*parsed);
}

std::size_t choice(const YAML::Node& node, std::string_view what,
                   std::initializer_list<std::string_view> choices) {
  std::string value = text(node, what);
  std::size_t index = 0;
  for (std::string_view option : choices) {
    if (value == option) return index;
    ++index;
  }
  fail(node,
       fmt::format("expected one of: {} for {}, got {}", join_views(choices), what, quoted(value)));
}

CommandLine command_line(const YAML::Node& node, std::string_view line, SourcePos at,
                         std::string_view what) {
  if (line.size() > target::config::max_line_bytes) {
    fail_at(at, fmt::format("{} is longer than {} bytes", what, target::config::max_line_bytes));
  }
  target::config::TokenizedLine tokens = target::config::tokenize_line(line);
  if (tokens.error) {
    fail_at(SourcePos{at.line, at.column + tokens.error->column - 1},
            fmt::format("{} in {}", tokens.error->message, what));
  }
  if (tokens.words.empty()) fail(node, fmt::format("{} is empty", what));
  return CommandLine{std::string(line), std::move(tokens.words), at};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace iscsi::scenarios::detail
