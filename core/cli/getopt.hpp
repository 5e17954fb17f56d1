#pragma once
// A faithful model of glibc's getopt_long as the tgtadm and iscsiadm front ends call it:
// argument permutation (operands are gathered and returned after the options), clustered
// short options, "-ovalue", "--name=value", unique prefixes of long names, required and
// optional arguments, "--", and glibc's exact diagnostics with the optopt each one leaves.
// Like getopt_long() itself it yields one event per call, so the caller's loop decides
// whether to stop at the first error (tgtadm calls usage()) or to go on (iscsiadm).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iscsi::cli {

// no_argument, required_argument, optional_argument ("x", "x:" and "x::" in the short list).
enum class ArgKind : unsigned char { none, required, optional };

// One entry of getopt_long's longopts (flag is always NULL: `code` is what it returns).
struct LongOption {
  std::string_view name;
  ArgKind arg;
  char code;
};

// One getopt_long() return: an option (its code and argument), or '?' with glibc's message
// (without the "program: " prefix) and the optopt it leaves behind (0 for an unknown or
// ambiguous long option).
struct OptionEvent {
  char code = 0;
  std::optional<std::string> argument;
  std::string error;
  char optopt = 0;
};

// `short_options` uses getopt's syntax ("dhL:o::") without the leading '+', '-' or ':'
// flags. The views passed in must outlive the parser.
class GetoptLong {
 public:
  GetoptLong(std::span<const std::string> args, std::string_view short_options,
             std::span<const LongOption> long_options)
      : args_(args), short_options_(short_options), long_options_(long_options) {}

  // The next option or error; nullopt once the options are exhausted (getopt's -1). Each
  // call consumes at least one character of `args`, so a loop over it ends.
  std::optional<OptionEvent> next();

  // The non-option arguments in order (those after "--" included); complete once next()
  // has returned nullopt.
  const std::vector<std::string>& operands() const { return operands_; }

  // True while a short-option cluster has letters left (glibc's nextchar is set), so a caller
  // that bounds its loop can stop on an argument boundary.
  bool inside_cluster() const { return !cluster_.empty(); }

 private:
  OptionEvent next_long(std::string_view body);
  OptionEvent next_short();
  std::optional<std::size_t> find_long(std::string_view name, std::string_view body,
                                       std::string& error) const;

  std::span<const std::string> args_;
  std::string_view short_options_;
  std::span<const LongOption> long_options_;
  std::size_t index_ = 0;     // glibc's optind
  std::string_view cluster_;  // glibc's nextchar: the rest of a short option cluster
  std::vector<std::string> operands_;
};

}  // namespace iscsi::cli
