// FileStore: the memory and the directory implementation behave alike, and neither lets a
// path leave its root.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "initiator-impl/iscsiadm/directory_file_store.hpp"
#include "initiator-impl/iscsiadm/file_store.hpp"
#include "initiator-impl/iscsiadm/node_db.hpp"

namespace iscsi::initiator::iscsiadm {
namespace {

namespace fs = std::filesystem;

TEST(FileStorePaths, SafeRelativePaths) {
  EXPECT_TRUE(is_safe_relative_path("iscsid.conf"));
  EXPECT_TRUE(is_safe_relative_path("nodes/iqn.2001-04.com.example:disk1/10.0.0.1,3260,1/default"));
  for (std::string_view bad : {"", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/",
                               "a\\b", "..", "."}) {
    EXPECT_FALSE(is_safe_relative_path(bad)) << bad;
  }
  EXPECT_FALSE(is_safe_relative_path(std::string("a\0b", 3)));
  EXPECT_FALSE(is_safe_relative_path(std::string(kMaxPathChars + 1, 'a')));
  EXPECT_FALSE(is_safe_component("a/b"));
  EXPECT_TRUE(is_safe_component("iqn.x:y"));
}

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::random_device seed;
    path_ = fs::temp_directory_path() / ("iscsim-iscsiadm-test-" + std::to_string(seed()));
    fs::create_directories(path_ / "home");
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class FileStoreContract : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      store_ = std::make_unique<DirectoryFileStore>(temp_.path() / "home");
    } else {
      store_ = std::make_unique<MemoryFileStore>();
    }
  }
  TempDir temp_;
  std::unique_ptr<FileStore> store_;
};

TEST_P(FileStoreContract, WriteReadListRemove) {
  FileStore& s = *store_;
  EXPECT_FALSE(s.read("iscsid.conf"));
  EXPECT_FALSE(s.write("nodes/t/p,1,1/default", "a = 1\n"));
  EXPECT_FALSE(s.write("nodes/t/p,1,1/lo2", "b"));
  EXPECT_FALSE(s.write("nodes/u/q,1,1/default", "c"));
  EXPECT_EQ(s.read("nodes/t/p,1,1/default"), "a = 1\n");
  EXPECT_FALSE(s.write("nodes/t/p,1,1/default", "replaced"));
  EXPECT_EQ(s.read("nodes/t/p,1,1/default"), "replaced");
  EXPECT_EQ(s.list("nodes"), (std::vector<std::string>{"t", "u"}));
  EXPECT_EQ(s.list("nodes/t/p,1,1"), (std::vector<std::string>{"default", "lo2"}));
  EXPECT_TRUE(s.list("absent").empty());
  EXPECT_TRUE(s.exists("nodes/t"));
  EXPECT_FALSE(s.read("nodes/t"));  // a directory is not a file
  EXPECT_TRUE(s.write("nodes/t", "x"));  // nor can it become one
  EXPECT_TRUE(s.remove("nodes/t/p,1,1/default"));
  EXPECT_TRUE(s.remove("nodes/t/p,1,1/lo2"));
  EXPECT_FALSE(s.remove("nodes/t/p,1,1/lo2"));
  EXPECT_FALSE(s.exists("nodes/t"));  // emptied directories go
  EXPECT_EQ(s.list("nodes"), (std::vector<std::string>{"u"}));
  EXPECT_EQ(s.list(""), (std::vector<std::string>{"nodes"}));
}

TEST_P(FileStoreContract, RefusesEscapes) {
  FileStore& s = *store_;
  for (std::string_view bad : {"../outside", "/tmp/outside", "a/../../outside", "a/./b"}) {
    EXPECT_TRUE(s.write(bad, "x").has_value()) << bad;
    EXPECT_FALSE(s.read(bad)) << bad;
    EXPECT_FALSE(s.remove(bad)) << bad;
    EXPECT_FALSE(s.exists(bad)) << bad;
    EXPECT_TRUE(s.list(bad).empty()) << bad;
  }
  EXPECT_FALSE(fs::exists(temp_.path() / "outside"));
  EXPECT_TRUE(s.write("big", std::string(kMaxFileBytes + 1, 'x')).has_value());
}

INSTANTIATE_TEST_SUITE_P(MemoryAndDirectory, FileStoreContract, ::testing::Bool());

TEST(DirectoryFileStore, PruningStopsAtTheRootEvenWithATrailingSlash) {
  TempDir temp;
  DirectoryFileStore store(temp.path().string() + "/home/");
  ASSERT_FALSE(store.write("a/b/c", "x"));
  EXPECT_TRUE(store.remove("a/b/c"));
  EXPECT_FALSE(fs::exists(temp.path() / "home/a"));
  EXPECT_TRUE(fs::exists(temp.path() / "home"));
}

TEST(DirectoryFileStore, NodeDatabaseLaidOutLikeEtcIscsi) {
  TempDir temp;
  DirectoryFileStore store(temp.path() / "home");
  NodeDb db(store);
  SendTargetsInput input;
  input.discovery_address = "127.0.0.1";
  input.portals = {{"iqn.2001-04.com.example:disk1", "127.0.0.1", 3260, 1}};
  ASSERT_EQ(apply_sendtargets(db, ConfFile{}, input, nullptr).exit_code, 0);
  fs::path record = temp.path() / "home/nodes/iqn.2001-04.com.example:disk1/127.0.0.1,3260,1/default";
  ASSERT_TRUE(fs::is_regular_file(record));
  std::ifstream in(record);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "# BEGIN RECORD 2.1.8");
  input.portals = {{"iqn.2001-04.com.example:disk2", "127.0.0.1", 3260, 1}};
  ASSERT_EQ(apply_sendtargets(db, ConfFile{}, input, nullptr).exit_code, 0);
  EXPECT_FALSE(fs::exists(temp.path() / "home/nodes/iqn.2001-04.com.example:disk1"));
  ASSERT_EQ(db.all().size(), 1U);
  EXPECT_EQ(db.all()[0].record.get(keys::node_name), "iqn.2001-04.com.example:disk2");
}

TEST(DirectoryFileStore, WritesRealFilesUnderTheRoot) {
  TempDir temp;
  DirectoryFileStore store(temp.path() / "home");
  ASSERT_FALSE(store.write("send_targets/10.0.0.1,3260/st_config", "k = v\n"));
  std::ifstream in(temp.path() / "home/send_targets/10.0.0.1,3260/st_config");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "k = v");
  // A file placed outside by someone else stays unreachable.
  std::ofstream(temp.path() / "secret") << "s";
  EXPECT_FALSE(store.read("../secret"));
  EXPECT_TRUE(fs::exists(temp.path() / "secret"));
  // Nor does a symlink planted inside lead out of it.
  fs::create_directory_symlink(temp.path(), temp.path() / "home/link");
  EXPECT_FALSE(store.read("link/secret"));
  EXPECT_TRUE(store.write("link/planted", "x").has_value());
  EXPECT_FALSE(fs::exists(temp.path() / "planted"));
  EXPECT_FALSE(store.remove("link/secret"));
  EXPECT_TRUE(fs::exists(temp.path() / "secret"));
  EXPECT_TRUE(store.list("link").empty());
}

}  // namespace
}  // namespace iscsi::initiator::iscsiadm
