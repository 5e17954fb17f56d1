// target-impl/ sees only core's runtime interfaces (DESIGN.md): no header of sim/ or core/asio/
// may be included by the server (or any other part of target-impl).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace iscsi::target::server {
namespace {

TEST(TargetIncludeRules, TargetImplIncludesNeitherSimNorAsio) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(ISCSI_SOURCE_DIR) / "target-impl";
  ASSERT_TRUE(fs::exists(root / "server" / "target_server.hpp"));
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("#include") == std::string::npos) continue;
      EXPECT_EQ(line.find("\"sim/"), std::string::npos) << entry.path() << ": " << line;
      EXPECT_EQ(line.find("\"core/asio/"), std::string::npos) << entry.path() << ": " << line;
      EXPECT_EQ(line.find("boost/"), std::string::npos) << entry.path() << ": " << line;
    }
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace iscsi::target::server
