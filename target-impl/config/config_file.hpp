#pragma once
// A configuration file of tgtadm command lines, as a tutorial or a shell script writes them:
//
//   # comment lines and blank lines are ignored
//   tgtadm --lld iscsi --op new --mode target --tid 1 -T iqn.2001-04.com.example:disk1
//   --lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /srv/disk1.img   # no prefix
//   tgtadm --lld iscsi --op bind --mode target --tid 1 <backslash, newline>
//          -I ALL                                          # continued line
//
// Each line is tokenized like a shell line (tokenizer.hpp), an optional leading `tgtadm` (or
// `iscsim tgtadm`, or `sudo tgtadm`) is dropped, and the rest runs through run_tgtadm(). The
// first failing line stops the load; nothing is applied unless every line succeeds.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "target-impl/config/tgtadm.hpp"

namespace iscsi::target::config {

inline constexpr std::size_t max_config_lines = 100000;

struct ConfigError {
  std::string file;
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based; 0 when the error concerns the whole line
  std::string message;

  // "file:line: message" or "file:line:column: message".
  std::string to_string() const;
};

struct LoadedConfig {
  std::vector<Effect> effects;  // of every line, in order (empty when `error` is set)
  std::string output;           // what the lines printed (e.g. `--op show` lines)
  std::optional<ConfigError> error;
};

LoadedConfig load_tgtadm_lines(std::string_view text, std::string_view file_name,
                               SystemConfig& config, ExecutionHost& host);

}  // namespace iscsi::target::config
