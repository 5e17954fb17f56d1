#pragma once
// Internal to the loader: typed reads of yaml-cpp nodes that throw LoadFailure (caught by
// load_scenario(), never seen by callers) naming the node's position and what was expected.
// `what` arguments name the value in the reader's words: "'latency' in link 'default'".
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/runtime/clock.hpp"
#include "core/runtime/stream.hpp"
#include "scenarios/model.hpp"

namespace iscsi::scenarios::detail {

struct LoadFailure {
  SourcePos at;
  std::string message;
};

// Bounds the work of one load: YAML aliases let a small file name a large node many times, so
// every scalar read is charged here and a file that expands past the budget is refused. One
// budget is active per thread while load_scenario() runs (it is not shared across threads).
class LoadBudget {
 public:
  static constexpr std::size_t max_reads = 1'000'000;
  static constexpr std::size_t max_bytes = 16 * 1024 * 1024;

  LoadBudget();
  ~LoadBudget();
  LoadBudget(const LoadBudget&) = delete;
  LoadBudget& operator=(const LoadBudget&) = delete;

  static void spend(const YAML::Node& node, std::size_t bytes);

 private:
  static thread_local LoadBudget* current_;
  LoadBudget* previous_;
  std::size_t reads_ = 0;
  std::size_t bytes_ = 0;
};

SourcePos position_of(const YAML::Node& node);
[[noreturn]] void fail(const YAML::Node& node, std::string message);
[[noreturn]] void fail_at(SourcePos at, std::string message);

void expect_map(const YAML::Node& node, std::string_view what);
void expect_list(const YAML::Node& node, std::string_view what);
// Every key is a scalar, appears once and is one of `allowed`.
void check_keys(const YAML::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed);
// Every key is a scalar and appears once (for maps with free keys); returns them in order.
std::vector<std::string> map_keys(const YAML::Node& map, std::string_view what);
// The key node of `key` in `map` (for messages about a key whose value may be empty); the
// map itself when the key is absent.
YAML::Node key_node(const YAML::Node& map, std::string_view key);
void require(const YAML::Node& map, std::string_view key, std::string_view what);

std::string text(const YAML::Node& node, std::string_view what);
// A scalar, or a list of scalars.
std::vector<std::string> text_list(const YAML::Node& node, std::string_view what);
std::uint64_t number(const YAML::Node& node, std::string_view what, std::uint64_t max);
bool boolean(const YAML::Node& node, std::string_view what);
runtime::Duration duration(const YAML::Node& node, std::string_view what);
std::uint64_t rate(const YAML::Node& node, std::string_view what);
std::uint64_t size(const YAML::Node& node, std::string_view what);
std::uint32_t ipv4(const YAML::Node& node, std::string_view what);
runtime::Endpoint portal(const YAML::Node& node, std::string_view what);
Bytes hex(const YAML::Node& node, std::string_view what);
// One of `choices`; returns its index.
std::size_t choice(const YAML::Node& node, std::string_view what,
                   std::initializer_list<std::string_view> choices);
// A command line split into words (shell quoting, as tgtadm's tokenizer does).
CommandLine command_line(const YAML::Node& node, std::string_view line, SourcePos at,
                         std::string_view what);

std::string join(const std::vector<std::string>& items);

}  // namespace iscsi::scenarios::detail
