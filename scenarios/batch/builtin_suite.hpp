#pragma once
// The built-in scenario suite: every scenarios/builtin/*.yaml of the source tree, embedded in
// the binary at build time (scenarios/batch/CMakeLists.txt generates the table), so
// `iscsim run` with no arguments runs it anywhere. Inputs name one file of it as
// "builtin:<file>.yaml" (docs/running.md).
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace iscsi::scenarios::batch {

struct BuiltinFile {
  std::string_view name;  // file name, e.g. "tutorial-chap-oneway.yaml"
  std::string_view text;  // the file's bytes
};

// Prefix of a built-in file's name as an input and in reports: "builtin:chap.yaml".
inline constexpr std::string_view kBuiltinPrefix = "builtin:";

// The suite's files sorted by name (generated).
std::span<const BuiltinFile> builtin_files();

// The file of "builtin:NAME" (".yaml" may be left out); nullopt when the suite has none.
std::optional<BuiltinFile> find_builtin(std::string_view input);

// "builtin:" + name.
std::string builtin_input_name(const BuiltinFile& file);

}  // namespace iscsi::scenarios::batch
