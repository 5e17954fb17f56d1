#include "scenarios/batch/builtin_suite.hpp"

namespace iscsi::scenarios::batch {

std::optional<BuiltinFile> find_builtin(std::string_view input) {
  if (!input.starts_with(kBuiltinPrefix)) return std::nullopt;
  const std::string_view name = input.substr(kBuiltinPrefix.size());
  for (const BuiltinFile& file : builtin_files()) {
    if (file.name == name) return file;
    if (file.name.ends_with(".yaml") && file.name.substr(0, file.name.size() - 5) == name) {
      return file;
    }
  }
  return std::nullopt;
}

std::string builtin_input_name(const BuiltinFile& file) {
  return std::string(kBuiltinPrefix) + std::string(file.name);
}

}  // namespace iscsi::scenarios::batch
