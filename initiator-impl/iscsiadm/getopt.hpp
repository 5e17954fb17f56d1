#pragma once
// A model of glibc's getopt_long as iscsiadm calls it: argument permutation, clustered short
// options, "-ovalue", "--name=value", unique prefixes of long names, "--". Unlike tgtadm,
// iscsiadm keeps going after a bad option (getopt prints its message and returns '?'), so the
// parse yields every event in order, errors included, with glibc's optopt for each error.
// (A copy of target-impl's model would be a layering break: initiator-impl may not depend on
// target-impl.)
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::initiator::iscsiadm::getopt {

enum class ArgKind : unsigned char { none, required };

struct LongOption {
  std::string_view name;
  ArgKind arg;
  char code;
};

// One getopt_long() return: an option (code, argument) or '?' with glibc's message (without
// the "iscsiadm: " prefix) and the optopt it leaves behind (0 for an unknown long option).
struct Event {
  char code = 0;
  std::optional<std::string> argument;
  std::string error;
  char optopt = 0;
};

// Bound on the events of one command line (each argument yields at most its length).
inline constexpr std::size_t kMaxEvents = 4096;

std::vector<Event> parse(std::span<const std::string> args, std::string_view short_options,
                         std::span<const LongOption> long_options);

}  // namespace iscsi::initiator::iscsiadm::getopt
