// Boost.Asio is included only by core/asio/boost_asio.hpp (DESIGN.md: core/asio is the only code
// that includes Boost.Asio, through one wrapper that includes <utility> first for g++ 12).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace iscsi::asio {
namespace {

namespace fs = std::filesystem;

bool is_source(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".cpp" || ext == ".hpp" || ext == ".h" || ext == ".cc";
}

// Source files under the repository, skipping build trees and version-control data.
std::vector<fs::path> sources(const fs::path& root) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.rfind("build", 0) == 0 || name.front() == '.')) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_source(it->path())) out.push_back(it->path());
  }
  return out;
}

TEST(AsioIncludeRules, OnlyTheWrapperIncludesBoostAsio) {
  const fs::path root(ISCSI_SOURCE_DIR);
  const fs::path wrapper = root / "core" / "asio" / "boost_asio.hpp";
  ASSERT_TRUE(fs::exists(wrapper));
  const std::vector<fs::path> files = sources(root);
  ASSERT_GT(files.size(), 10u);
  for (const fs::path& file : files) {
    if (fs::equivalent(file, wrapper)) continue;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      const bool includes = line.find("#include") != std::string::npos;
      EXPECT_FALSE(includes && line.find("boost/asio") != std::string::npos)
          << file << ": " << line;
    }
  }
}

}  // namespace
}  // namespace iscsi::asio
