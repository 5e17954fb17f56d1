#include "tests/support/run_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace iscsi::test {

CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options) {
  return process::run(argv, options);
}

bool program_available(std::string_view program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::filesystem::path dir(std::string(rest.substr(0, colon)));
    if (::access((dir / std::string(program)).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

std::string describe(const CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + (result.timed_out ? " (timed out)" : "") +
         "\nstdout:\n" + result.out + "\nstderr:\n" + result.err;
}

}  // namespace iscsi::test
