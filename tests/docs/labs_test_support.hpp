#pragma once
// Shared by the lab tests: where the pages are, how to read them, and the run options every
// test uses (the built iscsim first in PATH).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/docs/lab_runner.hpp"

namespace iscsi::labs {

inline std::filesystem::path labs_directory() {
  return std::filesystem::path(ISCSI_SOURCE_DIR) / "docs" / "labs";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// ISCSIM_LABS_KEEP=1 keeps each page's temporary directory (its path is in the messages).
inline LabRunOptions default_run_options() {
  LabRunOptions options;
  options.path_prefix = std::filesystem::path(ISCSIM_BINARY).parent_path().string();
  const char* keep = std::getenv("ISCSIM_LABS_KEEP");
  options.keep_directory = keep != nullptr && std::string(keep) == "1";
  return options;
}

}  // namespace iscsi::labs
