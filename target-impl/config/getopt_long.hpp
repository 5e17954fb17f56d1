#pragma once
// A faithful model of glibc's getopt_long as tgtadm calls it (argument permutation, unique
// prefixes of long options, "--name=value", clustered short options, "--"), including the
// exact diagnostics glibc prints, so that `iscsim tgtadm` fails the way tgtadm fails.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::target::config::getopt {

enum class ArgKind : unsigned char { none, required };

struct LongOption {
  std::string_view name;
  ArgKind arg;
  char code;
};

struct Parsed {
  char code = 0;
  std::optional<std::string> argument;
};

struct Result {
  std::vector<Parsed> options;          // in command-line order
  std::vector<std::string> operands;    // non-option arguments, in order
  std::optional<std::string> error;     // glibc's message without the program name prefix
};

// `short_options` uses getopt's syntax ("dhVL:o:..."); stops at the first error as tgtadm
// does (it calls usage() on '?').
Result parse(std::span<const std::string> args, std::string_view short_options,
             std::span<const LongOption> long_options);

}  // namespace iscsi::target::config::getopt
